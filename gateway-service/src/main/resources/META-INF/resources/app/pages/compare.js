// Compare: any metric of up to 10 runs overlaid on one chart (zoomable, live, smoothing, log scale, x by step or
// time), each run in its own colour, and the runs' configs side by side with the differences marked.
// Everything chosen is in the URL: ?sessions=a,b&metric=…&smooth=…&x=…&log=…
import {html, nothing} from 'lit';
import {KElement, markRendered} from '../base.js';
import {api} from '../api.js';
import {live} from '../live.js';
import {stateBadge} from '../widgets.js';
import {sortNames, METRICS} from '../metrics.js';
import {runColor} from '../colors.js';
import {StepClock} from '../clock.js';
import {chartView, writeChartView, chartViewControls} from '../chart-view.js';

export const MAX_RUNS = 10;
const CLOCK_POINTS = 500;
/** The chart's key in the view's log set. */
const CHART = 'compare';

/** A config as dotted paths → values, tables flattened at any depth ({a: {b: 1}} → {'a.b': 1}). */
export function flatten(config, prefix = '', out = {}) {
  for (const [k, v] of Object.entries(config || {})) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v, path, out);
    else out[path] = v;
  }
  return out;
}

/** Rows of the config table: every path any run has, and whether the runs disagree on it. */
export function configRows(configs) {
  const flat = configs.map((c) => flatten(c));
  const paths = [...new Set(flat.flatMap((f) => Object.keys(f)))].sort();
  return paths.map((path) => {
    const values = flat.map((f) => (Object.hasOwn(f, path) ? JSON.stringify(f[path]) : undefined));
    return {path, values, differs: new Set(values).size > 1};
  });
}

class ComparePage extends KElement {
  static properties = {
    query: {attribute: false}, sessions: {state: true}, selected: {state: true}, metric: {state: true},
    error: {state: true}, zoom: {state: true}, names: {state: true}, view: {state: true}, clocks: {state: true},
    onlyDiffs: {state: true},
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
    this.view = chartView(null, 'compare');
    this.clocks = {};
    this.onlyDiffs = true;
    this._unsubs = new Map();
    this._last = new Map();
    this._clocks = new Map();
  }

  connectedCallback() {
    super.connectedCallback();
    this.selected = [...new Set((this.query?.get('sessions') || '').split(',').filter(Boolean))].slice(0, MAX_RUNS);
    this.metric = this.query?.get('metric') || this.metric;
    this.view = chartView(this.query, 'compare');
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

  #writeUrl() {
    writeChartView(this.view, 'compare', {sessions: this.selected.join(','), metric: this.metric});
  }

  async #apply() {
    this.#writeUrl();
    for (const [id, unsub] of this._unsubs) if (!this.selected.includes(id)) { unsub(); this._unsubs.delete(id); }
    for (const id of this.selected) {
      if (!this._unsubs.has(id)) {
        this._unsubs.set(id, live.subscribe(`session:${id}`, (m) => this.#onLive(id, m)));
      }
    }
    this.#loadNames();
    if (this.view.xMode !== 'step') await this.#loadClocks();
    await this.#fetch(this.zoom);
  }

  #onLive(id, m) {
    if (m.type !== 'training_update' || !m.data?.metrics) return;
    const d = m.data;
    this.#addNames(Object.keys(d.metrics));
    if (d.time != null) this.#clock(id).add(d.step, d.time);
    // Differential updates leave out unchanged metrics: keep the last value.
    const v = d.metrics[this.metric] ?? (d.full ? undefined : this._last.get(id));
    if (typeof v !== 'number') return;
    this._last.set(id, v);
    // Only this run's series moves: the others keep every point they have.
    this.querySelector('metric-chart')?.append(d.step, {[id]: v});
  }

  #clock(id) {
    let c = this._clocks.get(id);
    if (!c) {
      c = new StepClock();
      this._clocks.set(id, c);
    }
    return c;
  }

  async #loadClocks() {
    const missing = this.selected.filter((id) => !this._clocks.get(id)?.read);
    await Promise.allSettled(missing.map(async (id) => {
      const c = await api(`/sessions/${encodeURIComponent(id)}/metrics/clock?max_points=${CLOCK_POINTS}`);
      const clock = new StepClock(c.points || []);
      const live = this._clocks.get(id);
      for (let i = 0; i < (live?.size || 0); i++) clock.add(live.steps[i], live.times[i]);
      clock.read = true;
      this._clocks.set(id, clock);
    }));
    this.clocks = Object.fromEntries(this.selected.map((id) => [id, this.#clock(id)]));
  }

  async #loadNames() {
    const answers = await Promise.allSettled(this.selected.map((id) => api(`/sessions/${encodeURIComponent(id)}/metrics/names`)));
    this.#addNames(answers.flatMap((a) => (a.status === 'fulfilled' ? a.value : [])));
  }

  #addNames(names) {
    const next = new Set([...this.names, this.metric, ...names]);
    if (next.size !== this.names.length) this.names = sortNames(next);
  }

  /** The step range of run `id` for a zoom: the same steps for every run by step, each run's own steps by time. */
  #rangeOf(id, zoom) {
    if (!zoom) return null;
    if (!zoom.x || zoom.mode === 'step' || !zoom.mode) return {from: zoom.from, to: zoom.to};
    const clock = this._clocks.get(id);
    if (!clock || clock.size === 0) return null;
    const [x0, x1] = zoom.x;
    const t = zoom.mode === 'wall' ? (x) => x * 1000 : (x) => x * 1000 + clock.start;
    return {from: Math.max(0, Math.floor(clock.stepAt(t(x0)))), to: Math.ceil(clock.stepAt(t(x1)))};
  }

  async #fetch(zoom) {
    const answers = await Promise.allSettled(this.selected.map((id) => {
      const q = new URLSearchParams({names: this.metric, max_points: '1000'});
      const range = this.#rangeOf(id, zoom);
      if (range) { q.set('from', String(range.from)); q.set('to', String(range.to)); }
      return api(`/sessions/${encodeURIComponent(id)}/metrics?${q}`);
    }));
    const series = [];
    answers.forEach((a, i) => {
      if (a.status !== 'fulfilled') return;
      const s = a.value.series.find((x) => x.metric === this.metric);
      if (s) series.push({...s, metric: this.selected[i]});
    });
    await this.updateComplete;
    const chart = this.querySelector('metric-chart');
    if (!chart) return;
    await chart.updateComplete;
    chart.setHistory(series, zoom ? {from: zoom.from, to: zoom.to} : null);
  }

  /** The chart's series, recomputed only when the selection changes (a new array would reset the chart). */
  #runs(sessions) {
    const key = `${this.selected.join(',')}|${sessions.length}`;
    if (key !== this._runsKey) {
      this._runsKey = key;
      this._runs = this.selected.map((id) => ({name: id, label: sessions.find((s) => s.id === id)?.name || id.slice(0, 8),
        color: runColor(id)}));
    }
    return this._runs;
  }

  #setView(view) {
    const timeNow = view.xMode !== 'step' && this.view.xMode === 'step';
    this.view = view;
    this.#writeUrl();
    if (timeNow) this.#loadClocks();
    if (view.xMode !== this._fetchedMode) {
      this._fetchedMode = view.xMode;
      if (this.zoom) { this.zoom = null; this.#fetch(null); }
    }
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
          ${this.names.map((m) => html`<option value=${m} ?selected=${m === this.metric}>${METRICS[m]?.heading ? `${METRICS[m].heading} (${m})` : m}</option>`)}
        </select>
      </div>
      ${this.error ? html`<div class="notice error" role="alert">${this.error}</div>` : nothing}
      <div class="grid with-side">
        <section aria-label="Overlay">
          <div class="chart-toolbar">
            ${chartViewControls(this.view, (v) => this.#setView(v))}
            <span style="flex:1"></span>
            <button class="small" ?disabled=${!this.zoom} @click=${() => { this.zoom = null; this.#fetch(null); }}>Zoom out</button>
          </div>
          ${runs.length === 0 ? html`<div class="panel empty">Choose runs to compare.</div>` : html`
          <metric-chart named-legend .heading=${METRICS[this.metric]?.heading || this.metric} .metrics=${runs} .height=${420} .smoothing=${this.view.smoothing}
            .logScale=${this.view.log.has(CHART)} .xMode=${this.view.xMode} .clocks=${this.clocks}
            empty-text="None of these runs has reported ${this.metric} yet."
            @log-scale=${(e) => { const log = new Set(this.view.log); if (e.detail.log) log.add(CHART); else log.delete(CHART); this.#setView({...this.view, log}); }}
            @zoom=${(e) => { this.zoom = e.detail; this.#fetch(e.detail); }}
            @reset=${() => { if (this.zoom) { this.zoom = null; this.#fetch(null); } }}></metric-chart>`}
          ${this.#configTable(sessions)}
        </section>
        <section class="panel" aria-labelledby="runs-h">
          <h2 id="runs-h">Runs <span class="muted small">(${this.selected.length} of up to ${MAX_RUNS})</span></h2>
          ${this.sessions == null ? html`<p class="muted">Loading…</p>` : sessions.length === 0 ? html`<p class="muted">No sessions.</p>` : html`
          <ul class="run-list" style="list-style:none;padding:0;margin:0">
            ${sessions.map((s) => html`<li class="row" style="padding:.2rem 0">
              <input type="checkbox" id="run-${s.id}" .checked=${this.selected.includes(s.id)}
                ?disabled=${!this.selected.includes(s.id) && this.selected.length >= MAX_RUNS}
                @change=${(e) => this.#toggle(s.id, e.target.checked)}>
              <label for="run-${s.id}"><i class="run-swatch" style="background:var(${runColor(s.id)})"></i>${s.name}</label> ${stateBadge(s.state)}</li>`)}
          </ul>`}
        </section>
      </div>`;
  }

  /** The selected runs' configs side by side; rows where they differ are marked (and by default the only ones shown). */
  #configTable(sessions) {
    const runs = this.selected.map((id) => sessions.find((s) => s.id === id)).filter(Boolean);
    if (runs.length === 0) return nothing;
    const rows = configRows(runs.map((s) => ({trainer: s.trainer, template: s.template, ...s.config})));
    const differing = rows.filter((r) => r.differs).length;
    const shown = this.onlyDiffs && runs.length > 1 ? rows.filter((r) => r.differs) : rows;
    return html`<section class="panel" style="margin-top:1rem" aria-labelledby="cfgdiff-h">
      <div class="row"><h2 id="cfgdiff-h" style="margin:0">Configs</h2>
        <span class="muted small" data-testid="config-differences">${runs.length > 1 ? `${differing} setting${differing === 1 ? '' : 's'} differ` : ''}</span>
        <span style="flex:1"></span>
        <label class="small row"><input type="checkbox" .checked=${this.onlyDiffs} @change=${(e) => { this.onlyDiffs = e.target.checked; }}>
          only differences</label></div>
      ${shown.length === 0 ? html`<p class="muted">The configs are the same.</p>` : html`
      <div class="table-wrap"><table class="small config-diff" data-testid="config-diff">
        <thead><tr><th scope="col">Setting</th>${runs.map((s) => html`<th scope="col"><i class="run-swatch" style="background:var(${runColor(s.id)})"></i>${s.name}</th>`)}</tr></thead>
        <tbody>${shown.map((r) => html`<tr class=${r.differs ? 'differs' : ''} data-path=${r.path}><th scope="row" class="mono">${r.path}</th>
          ${r.values.map((v) => html`<td class="mono ${r.differs ? 'differs' : ''}">${v ?? '–'}</td>`)}</tr>`)}</tbody>
      </table></div>`}
    </section>`;
  }
}
customElements.define('compare-page', ComparePage);
