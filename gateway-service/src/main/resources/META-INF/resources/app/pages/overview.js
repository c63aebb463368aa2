// Overview: every session with its live state, progress, throughput and latest results; system at a glance.
import {html, nothing} from 'lit';
import {KElement, markRendered} from '../base.js';
import {api, can} from '../api.js';
import {live, EVENT_STATE} from '../live.js';
import {fmtInt, fmtNum, fmtPct, fmtAgo, fmtTime} from '../format.js';
import {setQuery} from '../nav.js';
import {stateBadge, progressBar} from '../widgets.js';
import {totalOf, stepOf, speedOf, etaSeconds, fmtEta} from '../progress.js';
import {runColor} from '../colors.js';
import '../session-actions.js';

const PAGE_SIZE = 100;
/** The states the filter offers; '' is all. The choice is kept in the URL (?state=). */
const STATES = ['', 'created', 'queued', 'running', 'paused', 'stopped', 'completed', 'failed'];

function stateOf(query) {
  const v = query?.get('state') || '';
  return STATES.includes(v) ? v : '';
}

export function winRate(metrics) {
  if (!metrics) return null;
  return metrics['eval/win_rate_vs_random'] ?? null;
}

class OverviewPage extends KElement {
  static properties = {
    sessions: {state: true}, total: {state: true}, status: {state: true}, system: {state: true},
    error: {state: true}, filter: {state: true}, query: {attribute: false},
  };

  constructor() {
    super();
    this.sessions = null;
    this.total = 0;
    this.status = {};
    this.system = null;
    this.error = '';
    this.filter = '';
    this._unsub = [];
    this._fetching = new Set();
  }

  connectedCallback() {
    super.connectedCallback();
    this.filter = stateOf(this.query ?? new URLSearchParams(location.search));
    this._loadedFilter = this.filter;
    this.#load();
    this.#loadSystem();
    this._unsub.push(live.subscribe('sessions', (m) => this.#onLive(m)));
    this._unsub.push(live.subscribe('system', (m) => { if (m.type === 'system_status') this.#onSample(m.data); }));
    // Without the live hub (reconnecting), the page keeps itself current over REST.
    this._poll = setInterval(() => { if (live.state !== 'open') this.#load(); }, 15000);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this._unsub.forEach((u) => u());
    this._unsub = [];
    clearInterval(this._poll);
  }

  async #load() {
    const seq = (this._loadSeq = (this._loadSeq || 0) + 1);
    try {
      const q = this.filter ? `&state=${encodeURIComponent(this.filter)}` : '';
      const page = await api(`/sessions?size=${PAGE_SIZE}${q}`);
      if (seq !== this._loadSeq) return;   // the filter changed meanwhile: a later read answers
      this.sessions = page.items;
      this.total = page.total;
      this.error = '';
      await this.#loadStatuses(page.items);
    } catch (e) {
      this.error = e.message;
      if (!this.sessions) this.sessions = [];
    }
  }

  async #loadStatuses(items) {
    const results = await Promise.allSettled(items.slice(0, 50).map((s) => api(`/sessions/${encodeURIComponent(s.id)}/status`)));
    const next = {...this.status};
    results.forEach((r, i) => {
      if (r.status !== 'fulfilled') return;
      const id = items[i].id;
      const prev = next[id] || {};
      next[id] = {...prev, ...r.value, metrics: {...(prev.metrics || {}), ...r.value.metrics}};
    });
    this.status = next;
  }

  /**
   * In cluster mode every node reports each second: the panel stays on the node it shows (Resources has them all),
   * unless that one stopped reporting.
   */
  #onSample(s) {
    const other = s.pool != null && this.system?.pool != null && s.node !== this.system.node;
    if (other && s.time - this.system.time < 10_000) return;
    this.system = s;
  }

  async #loadSystem() {
    try {
      this.system = await api('/system/status');
    } catch { /* shown as "no sample" */ }
  }

  /** A session the list does not hold yet: its events carry no name, owner or config, so it is read once. */
  async #fetchSession(id) {
    if (this._fetching.has(id)) return;
    this._fetching.add(id);
    try {
      const s = await api(`/sessions/${encodeURIComponent(id)}`);
      if (!this.sessions || this.sessions.some((x) => x.id === id) || (this.filter && s.state !== this.filter)) return;
      this.sessions = [s, ...this.sessions].sort(newestFirst).slice(0, PAGE_SIZE);
      this.total += 1;
      this.#loadStatuses([s]);
    } catch { /* deleted meanwhile */ } finally {
      this._fetching.delete(id);
    }
  }

  #onLive(m) {
    if (m.type === 'resync') { this.#load(); return; }
    const d = m.data || {};
    const id = m.session || d.session;
    if (!id) return;
    if (m.type === 'training_update') {
      const prev = this.status[id] || {};
      // The gateway's smoothed speed (progress.js): the same estimate the session page and the CLI show.
      this.status = {...this.status, [id]: {...prev, step: d.step ?? prev.step, attempt: d.attempt ?? prev.attempt,
        metrics: {...(prev.metrics || {}), ...(d.metrics || {})}, stepsPerSecond: d.stepsPerSecond ?? prev.stepsPerSecond}};
    } else if (m.type === 'allocation_event') {
      const prev = this.status[id] || {};
      this.status = {...this.status, [id]: {...prev, allocation: {...d.allocation, event: d.type}}};
    } else if (m.type === 'session_event') {
      this.#onSessionEvent(id, d);
    }
  }

  #onSessionEvent(id, d) {
    if (!this.sessions) return;   // the list being read includes it
    if (d.type === 'session.deleted') {
      this.#drop(id);
      return;
    }
    const state = d.state || EVENT_STATE[d.type];
    if (!state) return;
    const s = this.sessions.find((x) => x.id === id);
    if (!s) {
      if (!this.filter || state === this.filter) this.#fetchSession(id);
      return;
    }
    if (this.filter && state !== this.filter) {
      this.#drop(id);
      return;
    }
    // training-service's transitions carry the new state with its reason (none: the old reason no longer applies).
    const stateReason = d.state ? (d.reason ?? null) : (d.reason ?? s.stateReason);
    const updated = {...s, state, stateReason, attempts: Math.max(s.attempts || 0, d.attempt || 0), updatedAt: d.time ?? s.updatedAt};
    this.sessions = this.sessions.map((x) => (x.id === id ? updated : x));
  }

  #drop(id) {
    if (!this.sessions.some((x) => x.id === id)) return;
    this.sessions = this.sessions.filter((x) => x.id !== id);
    this.total = Math.max(0, this.total - 1);
  }

  willUpdate(changed) {
    // Back and forward to an overview with another ?state= hand the page a new query.
    if (changed.has('query') && this.isConnected && this._loadedFilter !== undefined) {
      const f = stateOf(this.query);
      if (f !== this._loadedFilter) this.#setFilter(f, false);
    }
  }

  #setFilter(value, writeUrl) {
    this.filter = value;
    this._loadedFilter = value;
    if (writeUrl) setQuery({state: value});
    this.#load();
  }

  updated() {
    if (!this._marked && this.sessions != null) {
      this._marked = true;
      markRendered('overview');
    }
  }
  render() {
    const running = (this.sessions || []).filter((s) => s.state === 'running').length;
    const queued = (this.sessions || []).filter((s) => s.state === 'queued').length;
    return html`
      <div class="page-head">
        <h1>Training sessions</h1>
        <span class="muted">${this.sessions ? `${this.total} in all · ${running} running · ${queued} queued` : ''}</span>
        <span class="spacer"></span>
        <label class="row small">State
          <select .value=${this.filter} @change=${(e) => this.#setFilter(e.target.value, true)} aria-label="Filter by state" data-testid="state-filter">
            ${STATES.map((s) =>
              html`<option value=${s} ?selected=${s === this.filter}>${s || 'all'}</option>`)}
          </select></label>
        ${can('training.start') ? html`<a class="button primary" href="/new">New session</a>` : nothing}
      </div>
      ${this.error ? html`<div class="notice error" role="alert">${this.error}</div>` : nothing}
      <div class="grid with-side">
        <section class="panel" aria-label="Sessions">${this.#table()}</section>
        <section class="panel" aria-labelledby="sys-h">
          <h2 id="sys-h">System</h2>
          <system-meters .status=${this.system}></system-meters>
          <p class="small" style="margin-bottom:0"><a href="/resources">Pools, allocations and the queue →</a></p>
        </section>
      </div>`;
  }

  #table() {
    if (this.sessions == null) return html`<div class="empty">Loading sessions…</div>`;
    if (this.sessions.length === 0) {
      return html`<div class="empty">No sessions yet.${can('training.start') ? html` <a href="/new">Create the first one</a>.` : ''}</div>`;
    }
    return html`<div class="table-wrap"><table data-testid="sessions">
      <thead><tr><th scope="col">Session</th><th scope="col">State</th><th scope="col" style="min-width:11rem">Progress</th>
        <th scope="col" class="num">Steps/s</th><th scope="col" class="num">Reward</th><th scope="col" class="num">Win rate</th>
        <th scope="col">Owner</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
      <tbody>${this.sessions.map((s) => this.#row(s))}</tbody></table></div>`;
  }

  #row(s) {
    const st = this.status[s.id] || {};
    const step = stepOf(s, st);
    const total = totalOf(s, st);
    const sps = speedOf(s, st);
    const eta = etaSeconds(s, st);
    const queue = s.state === 'queued' ? (st.allocation?.reason || s.stateReason) : (s.state === 'failed' ? s.stateReason : null);
    return html`<tr data-session=${s.id}>
      <td><i class="run-swatch" style="background:var(${runColor(s.id)})"></i><a href="/sessions/${encodeURIComponent(s.id)}">${s.name}</a>
        <div class="muted small">${s.template || 'custom'} · <span title=${`last change ${fmtTime(s.updatedAt)}`}>updated ${fmtAgo(s.updatedAt)}</span></div></td>
      <td>${stateBadge(s.state)}${st.allocation?.queuePosition && s.state === 'queued' ? html` <span class="small">#${st.allocation.queuePosition}</span>` : nothing}
        ${queue ? html`<div class="muted small reason" style="max-width:14rem">${queue}</div>` : nothing}</td>
      <td>${progressBar(total ? step / total : 0, `Progress of ${s.name}`)}
        <div class="small muted">${fmtInt(step)} / ${fmtInt(total)}${eta != null ? html` · <span data-testid="eta">ETA ${fmtEta(eta)}</span>` : ''}</div></td>
      <td class="num">${fmtInt(sps)}</td>
      <td class="num">${fmtNum(st.metrics?.episode_reward_mean)}</td>
      <td class="num">${fmtPct(winRate(st.metrics), 0)}</td>
      <td>${s.owner}</td>
      <td><session-actions compact .session=${s} @session-changed=${(e) => this.#changed(e)}></session-actions></td>
    </tr>`;
  }

  #changed(e) {
    const s = e.detail.session;
    if (s) this.sessions = this.sessions.map((x) => (x.id === s.id ? s : x));
    else this.#load();
  }
}
customElements.define('overview-page', OverviewPage);

function newestFirst(a, b) {
  return Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
