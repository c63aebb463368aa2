// Compare: one metric from several runs, overlaid on one chart (zoomable, live).
import {html, nothing} from 'lit';
import {KElement, markRendered} from '../base.js';
import {api} from '../api.js';
import {live} from '../live.js';
import {setQuery} from '../nav.js';
import {stateBadge} from '../widgets.js';
import {sortNames} from '../metrics.js';
import '../chart.js';

const MAX_RUNS = 6;

class ComparePage extends KElement {
  static properties = {
    query: {attribute: false}, sessions: {state: true}, selected: {state: true}, metric: {state: true},
    error: {state: true}, zoom: {state: true}, names: {state: true},
  };

  constructor() {
    super();
    this.sessions = null;
    this.selected = [];
    this.metric = 'episode_reward_mean';
    this.error = '';
    this.zoom = null;
    /** The metrics the selected runs have reported (their stored names and their live updates), in display order. */
    this.names = [];
    this._unsubs = new Map();
    this._last = new Map();
  }

  connectedCallback() {
    super.connectedCallback();
    this.selected = (this.query?.get('sessions') || '').split(',').filter(Boolean).slice(0, MAX_RUNS);
    this.metric = this.query?.get('metric') || this.metric;
    this.names = [this.metric];
    this.#load();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this._unsubs.forEach((u) => u());
    this._unsubs.clear();
  }

  async #load() {
    try {
      const p = await api('/sessions?size=200');
      this.sessions = p.items;
      if (this.selected.length === 0) this.selected = this.sessions.slice(0, 3).map((s) => s.id);
      this.#apply();
    } catch (e) {
      this.error = e.message;
      this.sessions = [];
    }
  }

  #toggle(id, on) {
    const next = this.selected.filter((x) => x !== id);
    if (on) next.push(id);
    this.selected = next.slice(0, MAX_RUNS);
    this.#apply();
  }

  async #apply() {
    setQuery({sessions: this.selected.join(','), metric: this.metric});
    for (const [id, unsub] of this._unsubs) if (!this.selected.includes(id)) { unsub(); this._unsubs.delete(id); }
    for (const id of this.selected) {
      if (!this._unsubs.has(id)) {
        this._unsubs.set(id, live.subscribe(`session:${id}`, (m) => {
          if (m.type !== 'training_update' || !m.data?.metrics) return;
          this.#addNames(Object.keys(m.data.metrics));
          // Differential updates leave out unchanged metrics: keep the last value.
          const v = m.data.metrics[this.metric] ?? (m.data.full ? undefined : this._last.get(id));
          if (typeof v === 'number') this._last.set(id, v);
          if (typeof v === 'number') this.querySelector('metric-chart')?.append(m.data.step, {[id]: v});
        }));
      }
    }
    this.#loadNames();
    await this.#fetch(this.zoom);
  }

  async #loadNames() {
    const answers = await Promise.allSettled(this.selected.map((id) => api(`/sessions/${encodeURIComponent(id)}/metrics/names`)));
    this.#addNames(answers.flatMap((a) => (a.status === 'fulfilled' ? a.value : [])));
  }

  #addNames(names) {
    const next = new Set([...this.names, this.metric, ...names]);
    if (next.size !== this.names.length) this.names = sortNames(next);
  }

  async #fetch(range) {
    const q = new URLSearchParams({names: this.metric, max_points: '1000'});
    if (range) { q.set('from', String(range.from)); q.set('to', String(range.to)); }
    const answers = await Promise.allSettled(this.selected.map((id) => api(`/sessions/${encodeURIComponent(id)}/metrics?${q}`)));
    const series = [];
    answers.forEach((a, i) => {
      if (a.status !== 'fulfilled') return;
      const s = a.value.series.find((x) => x.metric === this.metric);
      if (s) series.push({...s, metric: this.selected[i]});
    });
    await this.updateComplete;
    this.querySelector('metric-chart')?.setHistory(series, range);
  }

  /** The chart's series, recomputed only when the selection changes (a new array would reset the chart). */
  #runs(sessions) {
    const key = `${this.selected.join(',')}|${sessions.length}`;
    if (key !== this._runsKey) {
      this._runsKey = key;
      this._runs = this.selected.map((id) => ({name: id, label: sessions.find((s) => s.id === id)?.name || id.slice(0, 8)}));
    }
    return this._runs;
  }


  updated() {
    if (!this._marked && this.sessions != null) {
      this._marked = true;
      markRendered('compare');
    }
  }
  render() {
    const sessions = this.sessions || [];
    const runs = this.#runs(sessions);
    return html`
      <div class="page-head"><h1>Compare runs</h1><span class="spacer"></span>
        <label class="row small" for="c-metric">Metric</label>
        <select id="c-metric" @change=${(e) => { this.metric = e.target.value; this.zoom = null; this._last.clear(); this.#apply(); }}>
          ${this.names.map((m) => html`<option value=${m} ?selected=${m === this.metric}>${m}</option>`)}
        </select>
        <button class="small" ?disabled=${!this.zoom} @click=${() => { this.zoom = null; this.#fetch(null); }}>Zoom out</button>
      </div>
      ${this.error ? html`<div class="notice error" role="alert">${this.error}</div>` : nothing}
      <div class="grid" style="grid-template-columns:minmax(0,1fr) 300px;align-items:start">
        <section aria-label="Overlay">
          ${runs.length === 0 ? html`<div class="panel empty">Choose runs to compare.</div>` : html`
          <metric-chart .heading=${this.metric} .metrics=${runs} .height=${420}
            @zoom=${(e) => { this.zoom = e.detail; this.#fetch(e.detail); }}
            @reset=${() => { if (this.zoom) { this.zoom = null; this.#fetch(null); } }}></metric-chart>`}
        </section>
        <section class="panel" aria-labelledby="runs-h">
          <h2 id="runs-h">Runs <span class="muted small">(up to ${MAX_RUNS})</span></h2>
          ${this.sessions == null ? html`<p class="muted">Loading…</p>` : sessions.length === 0 ? html`<p class="muted">No sessions.</p>` : html`
          <ul style="list-style:none;padding:0;margin:0">
            ${sessions.map((s) => html`<li class="row" style="padding:.2rem 0">
              <input type="checkbox" id="run-${s.id}" .checked=${this.selected.includes(s.id)}
                ?disabled=${!this.selected.includes(s.id) && this.selected.length >= MAX_RUNS}
                @change=${(e) => this.#toggle(s.id, e.target.checked)}>
              <label for="run-${s.id}">${s.name}</label> ${stateBadge(s.state)}</li>`)}
          </ul>`}
        </section>
      </div>`;
  }
}
customElements.define('compare-page', ComparePage);
