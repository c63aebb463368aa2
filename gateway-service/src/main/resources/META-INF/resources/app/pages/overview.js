// Overview: every session with its live state, progress, throughput and latest results; system at a glance.
import {html, nothing} from 'lit';
import {KElement, markRendered} from '../base.js';
import {api, can} from '../api.js';
import {live, EVENT_STATE} from '../live.js';
import {fmtInt, fmtNum, fmtPct, fmtDuration, fmtAgo} from '../format.js';
import {stateBadge, progressBar} from '../widgets.js';
import '../session-actions.js';

const PAGE_SIZE = 100;

export function totalOf(session, status) {
  return (status && status.totalTimesteps) || session?.config?.training?.total_timesteps || 0;
}

export function winRate(metrics) {
  if (!metrics) return null;
  return metrics['eval/win_rate_vs_random'] ?? null;
}

class OverviewPage extends KElement {
  static properties = {
    sessions: {state: true}, total: {state: true}, status: {state: true}, system: {state: true},
    error: {state: true}, filter: {state: true},
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
    this.#load();
    this.#loadSystem();
    this._unsub.push(live.subscribe('sessions', (m) => this.#onLive(m)));
    this._unsub.push(live.subscribe('system', (m) => { if (m.type === 'system_status') this.system = m.data; }));
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
    try {
      const q = this.filter ? `&state=${encodeURIComponent(this.filter)}` : '';
      const page = await api(`/sessions?size=${PAGE_SIZE}${q}`);
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
      // Cleared so that the row works the ETA out from the live throughput, not the one last read over REST.
      this.status = {...this.status, [id]: {...prev, step: d.step ?? prev.step, attempt: d.attempt ?? prev.attempt,
        metrics: {...(prev.metrics || {}), ...(d.metrics || {})}, stepsPerSecond: d.metrics?.steps_per_second ?? prev.stepsPerSecond,
        etaSeconds: null}};
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
          <select @change=${(e) => { this.filter = e.target.value; this.#load(); }} aria-label="Filter by state">
            ${['', 'created', 'queued', 'running', 'paused', 'stopped', 'completed', 'failed'].map((s) =>
              html`<option value=${s} ?selected=${s === this.filter}>${s || 'all'}</option>`)}
          </select></label>
        ${can('training.start') ? html`<a class="button primary" href="/new">New session</a>` : nothing}
      </div>
      ${this.error ? html`<div class="notice error" role="alert">${this.error}</div>` : nothing}
      <div class="grid" style="grid-template-columns:minmax(0,1fr) 300px;align-items:start">
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
    const step = Math.max(st.step || 0, s.currentStep || 0);
    const total = totalOf(s, st);
    const sps = st.stepsPerSecond ?? st.metrics?.steps_per_second;
    const eta = s.state === 'running' ? (st.etaSeconds ?? (sps > 0 && total ? (total - step) / sps : null)) : null;
    const queue = s.state === 'queued' ? (st.allocation?.reason || s.stateReason) : (s.state === 'failed' ? s.stateReason : null);
    return html`<tr data-session=${s.id}>
      <td><a href="/sessions/${encodeURIComponent(s.id)}">${s.name}</a>
        <div class="muted small">${s.template || 'custom'} · ${fmtAgo(s.updatedAt)}</div></td>
      <td>${stateBadge(s.state)}${st.allocation?.queuePosition && s.state === 'queued' ? html` <span class="small">#${st.allocation.queuePosition}</span>` : nothing}
        ${queue ? html`<div class="muted small" style="max-width:14rem">${queue}</div>` : nothing}</td>
      <td>${progressBar(total ? step / total : 0, `Progress of ${s.name}`)}
        <div class="small muted">${fmtInt(step)} / ${fmtInt(total)}${eta != null ? ` · ETA ${fmtDuration(eta)}` : ''}</div></td>
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
