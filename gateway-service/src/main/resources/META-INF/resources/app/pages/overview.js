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
    this._refetchTimer = 0;
  }

  connectedCallback() {
    super.connectedCallback();
    this.#load();
    this.#loadSystem();
    this._unsub.push(live.subscribe('sessions', (m) => this.#onLive(m)));
    this._unsub.push(live.subscribe('system', (m) => { if (m.type === 'system_status') this.system = m.data; }));
    this._poll = setInterval(() => this.#load(), 15000);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this._unsub.forEach((u) => u());
    this._unsub = [];
    clearInterval(this._poll);
    clearTimeout(this._refetchTimer);
  }

  async #load() {
    try {
      const q = this.filter ? `&state=${encodeURIComponent(this.filter)}` : '';
      const page = await api(`/sessions?size=${PAGE_SIZE}${q}`);
      const items = Array.isArray(page) ? page : page.items || [];
      this.sessions = items;
      this.total = Array.isArray(page) ? items.length : page.total ?? items.length;
      this.error = '';
      await this.#loadStatuses(items);
    } catch (e) {
      this.error = e.message;
      if (!this.sessions) this.sessions = [];
    }
  }

  async #loadStatuses(items) {
    const results = await Promise.allSettled(items.slice(0, 50).map((s) => api(`/sessions/${encodeURIComponent(s.id)}/status`)));
    const next = {...this.status};
    results.forEach((r, i) => {
      if (r.status !== 'fulfilled' || !r.value) return;
      const id = items[i].id;
      const prev = next[id] || {};
      next[id] = {...prev, ...r.value, metrics: {...(prev.metrics || {}), ...(r.value.metrics || {})}};
    });
    this.status = next;
  }

  async #loadSystem() {
    try {
      this.system = await api('/system/status');
    } catch { /* shown as "no sample" */ }
  }

  #onLive(m) {
    const id = m.session || m.data?.session;
    if (m.type === 'resync') { this.#load(); return; }
    if (!id) return;
    if (m.type === 'training_update') {
      const prev = this.status[id] || {};
      const d = m.data || {};
      this.status = {...this.status, [id]: {...prev, step: d.step ?? prev.step, attempt: d.attempt ?? prev.attempt,
        metrics: {...(prev.metrics || {}), ...(d.metrics || {})}, stepsPerSecond: d.metrics?.steps_per_second ?? prev.stepsPerSecond}};
    } else if (m.type === 'session_event' || m.type === 'allocation_event') {
      const d = m.data || {};
      const state = d.state || EVENT_STATE[d.type];
      if (state && this.sessions) {
        this.sessions = this.sessions.map((s) => (s.id === id ? {...s, state, stateReason: d.reason ?? s.stateReason} : s));
      }
      if (m.type === 'allocation_event' && d.allocation) {
        const prev = this.status[id] || {};
        this.status = {...this.status, [id]: {...prev, allocation: {...d.allocation, event: d.type?.split('.')[1]}}};
      }
      if (d.type === 'session.created' || d.type === 'session.deleted' || !this.sessions?.some((s) => s.id === id)) {
        clearTimeout(this._refetchTimer);
        this._refetchTimer = setTimeout(() => this.#load(), 300);
      }
    }
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
