// Session: live learning curves (zoomable history with min/max bands and attempt markers), the live game,
// controls, allocation and queue, checkpoints, config and the trainer's log.
import {html, nothing} from 'lit';
import {repeat} from 'lit/directives/repeat.js';
import {KElement, markRendered} from '../base.js';
import {api, canControl, download} from '../api.js';
import {live, EVENT_STATE} from '../live.js';
import {navigate} from '../nav.js';
import {fmtInt, fmtNum, fmtPct, fmtDuration, fmtBytes, fmtTime, fmtAgo, fmtCpu, fmtMb} from '../format.js';
import {stateBadge, progressBar} from '../widgets.js';
import {ACTIVE_STATES} from '../session-actions.js';
import {ChartSet} from '../metrics.js';
import '../chart.js';
import '../board.js';

const MAX_POINTS = 800;
/** The history endpoint takes at most this many names per request. */
const NAMES_PER_REQUEST = 100;

class SessionPage extends KElement {
  static properties = {
    sessionId: {attribute: false},
    session: {state: true}, status: {state: true}, game: {state: true}, models: {state: true},
    defaults: {state: true}, log: {state: true}, error: {state: true}, zoom: {state: true}, attempts: {state: true},
    notice: {state: true}, charts: {state: true}, namesRead: {state: true},
  };

  constructor() {
    super();
    this.session = null;
    this.status = null;
    this.game = null;
    this.models = null;
    this.defaults = null;
    this.log = null;
    this.error = '';
    this.zoom = null;
    this.attempts = [];
    this.notice = '';
    this.charts = [];
    this.namesRead = false;
    this._unsub = null;
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this._unsub?.();
    this._unsub = null;
    clearInterval(this._poll);
    clearInterval(this._logPoll);
    clearTimeout(this._zoomTimer);
    this._history?.abort();
    this._partial?.forEach((c) => c.abort());
  }

  willUpdate(changed) {
    if (changed.has('sessionId') && this.sessionId) {
      this._unsub?.();
      this.session = null;
      this.status = null;
      this.game = null;
      this.models = null;
      this.zoom = null;
      this.attempts = [];
      this._attemptsLoaded = false;
      this._markers = [];
      this._registered = null;
      this._announced = [];
      this._lastLive = null;
      this._chartSet = new ChartSet();
      this.charts = [];
      this.namesRead = false;
      this._unsub = live.subscribe(`session:${this.sessionId}`, (m) => this.#onLive(m));
      this.#loadAll();
      clearInterval(this._poll);
      // Without the live hub (reconnecting), the page keeps itself current over REST.
      this._poll = setInterval(() => { if (live.state !== 'open') this.#loadStatus(); }, 3000);
    }
  }

  get #path() {
    return `/sessions/${encodeURIComponent(this.sessionId)}`;
  }

  async #loadAll() {
    try {
      this.session = await api(this.#path);
      this.error = '';
    } catch (e) {
      this.error = e.status === 404 ? `There is no session ${this.sessionId}.` : e.message;
      return;
    }
    const [, names] = await Promise.all([this.#loadStatus(), api(`${this.#path}/metrics/names`).catch(() => [])]);
    this.#addMetrics(names);
    this.namesRead = true;
    this.#loadHistory(this.zoom);
    this.#loadAttempts();
    // A live session's game arrives over the hub within a quarter second; a finished one shows its last stored game.
    if (!this.game && this.session.attempts > 0 && !ACTIVE_STATES.includes(this.session.state)) this.#loadGame();
    this.#loadModels();
    if (!this.defaults) api('/config/defaults').then((d) => { this.defaults = d; }).catch(() => {});
  }

  async #loadSession() {
    try { this.session = await api(this.#path); } catch { /* keep the last one */ }
  }

  async #loadStatus() {
    try {
      const st = await api(`${this.#path}/status`);
      this.status = {...(this.status || {}), ...st, metrics: {...(this.status?.metrics || {}), ...st.metrics}};
      if (st.state && this.session && st.state !== this.session.state) this.#loadSession();
    } catch { /* status appears with the first update */ }
  }

  /** Adds metric names to the charts; answers the charts that are new or gained a metric. */
  #addMetrics(names) {
    const touched = this._chartSet.add(names);
    if (touched.length) this.charts = this._chartSet.charts;
    return touched;
  }

  /**
   * Loads history into `charts` (all of them when absent) for a step range (everything when absent).
   * A load of all charts replaces any load still running; loads of single new charts run beside it.
   */
  async #loadHistory(range, charts) {
    const all = !charts;
    const targets = charts || this.charts;
    const names = targets.flatMap((c) => c.metrics.map((m) => m.name));
    if (names.length === 0) return;
    const ctl = new AbortController();
    if (all) {
      this._history?.abort();
      this._partial?.forEach((c) => c.abort());
      this._partial = new Set();
      this._history = ctl;
    } else {
      (this._partial ??= new Set()).add(ctl);
    }
    try {
      const answers = await Promise.all(chunks(names, NAMES_PER_REQUEST).map((part) => {
        const q = new URLSearchParams({names: part.join(','), max_points: String(MAX_POINTS)});
        if (range) { q.set('from', String(range.from)); q.set('to', String(range.to)); }
        return api(`${this.#path}/metrics?${q}`, {signal: ctl.signal});
      }));
      const series = answers.flatMap((h) => h.series);
      await this.updateComplete;
      const wanted = new Set(targets.map((c) => c.metrics));
      const els = [...this.querySelectorAll('metric-chart')].filter((c) => wanted.has(c.metrics));
      await Promise.all(els.map((c) => c.updateComplete));
      const last = this._lastLive;
      for (const chart of els) {
        chart.setHistory(series, range);
        // The newest live point may not be stored yet when the history is read.
        if (!range && last && (chart.size === 0 || last.step > chart.x[chart.size - 1])) chart.append(last.step, last.metrics);
      }
    } catch (e) {
      if (e.name !== 'AbortError') this.notice = `History: ${e.message}`;
    } finally {
      this._partial?.delete(ctl);
    }
  }

  async #loadAttempts() {
    try {
      this.attempts = await api(`${this.#path}/metrics/attempts`);
      this._attemptsLoaded = true;
      this._markers = this.attempts.filter((a) => a.attempt > 1 && a.firstStep != null)
        .map((a) => ({step: a.firstStep, label: `attempt ${a.attempt}`}));
    } catch { /* no markers */ }
  }

  /** A resumed attempt's first update marks where it begins (the stored attempts are read once, on load). */
  #noteAttempt(d) {
    if (!this._attemptsLoaded || !(d.attempt > 1) || d.step == null) return;
    if (this.attempts.some((a) => a.attempt >= d.attempt)) return;
    this.attempts = [...this.attempts, {attempt: d.attempt, firstStep: d.step}];
    this._markers = [...this._markers, {step: d.step, label: `attempt ${d.attempt}`}];
  }

  /** The newest stored game (the list holds only stored games, so the fetch that follows finds it). */
  async #loadGame() {
    try {
      const games = await api(`${this.#path}/games?limit=1`);
      const id = games[0]?.gameId;
      if (!id || this.game) return;
      const g = await api(`/games/${encodeURIComponent(id)}`);
      if (!this.game) this.game = g;
    } catch { /* the live game arrives over the hub */ }
  }

  async #loadModels() {
    try {
      const page = await api(`/models?session=${encodeURIComponent(this.sessionId)}&size=20`);
      this._registered = page.items;
    } catch (e) {
      this._registered ??= [];
    }
    this.#mergeModels();
  }

  /**
   * Checkpoints as the registry lists them, plus the ones announced by checkpoint.saved events that the
   * registry did not list when it was last read (it registers them moments after the event), newest first.
   */
  #mergeModels() {
    const registered = this._registered || [];
    const known = new Set(registered.map((m) => m.sha256));
    this._announced = this._announced.filter((m) => !known.has(m.sha256));
    this.models = [...this._announced, ...registered].sort((a, b) => b.step - a.step || (b.attempt || 0) - (a.attempt || 0));
  }

  /** A checkpoint.saved event carries everything the checkpoints table shows, so it is listed at once. */
  #announce(d) {
    const c = d.checkpoint;
    if (!c || this._announced.some((m) => m.sha256 === c.sha256) || this._registered?.some((m) => m.sha256 === c.sha256)) return;
    this._announced = [...this._announced, {id: `sha256:${c.sha256}`, session: d.session, attempt: d.attempt,
      step: c.step, sizeBytes: c.sizeBytes, sha256: c.sha256, createdAt: d.time}];
    this.#mergeModels();
  }

  #onLive(m) {
    const d = m.data || {};
    switch (m.type) {
      case 'training_update': {
        const prev = this.status || {};
        // Updates after the first are differential: a metric left out has not changed, so it keeps its value.
        const metrics = {...(prev.metrics || {}), ...(d.metrics || {})};
        this.status = {...prev, step: d.step ?? prev.step, attempt: d.attempt ?? prev.attempt, metrics,
          stepsPerSecond: metrics.steps_per_second ?? prev.stepsPerSecond, etaSeconds: null};
        this.#noteAttempt(d);
        this._lastLive = {step: d.step, metrics};
        for (const chart of this.querySelectorAll('metric-chart')) chart.append(d.step, metrics);
        const added = this.#addMetrics(Object.keys(d.metrics || {}));
        if (added.length) {
          const fresh = new Set(added.map((c) => c.metrics));
          this.updateComplete.then(() => {
            for (const chart of this.querySelectorAll('metric-chart')) {
              // After the chart's first update, which starts it empty.
              if (fresh.has(chart.metrics)) chart.updateComplete.then(() => chart.append(d.step, metrics));
            }
          });
          // A chart that appears mid-run shows the points stored before this update too.
          this.#loadHistory(this.zoom, added);
        }
        break;
      }
      case 'game_state':
        this.game = d;
        break;
      case 'session_event':
        this.#onSessionEvent(d);
        break;
      case 'allocation_event': {
        // The event carries the whole allocation, as the status endpoint shows it (with the event type as `event`).
        this.status = {...(this.status || {}), allocation: {...d.allocation, event: d.type}};
        break;
      }
      case 'resync':
        this.#loadAll();
        break;
      default:
    }
  }

  #onSessionEvent(d) {
    if (d.type === 'checkpoint.saved') {
      this.notice = `Checkpoint saved at step ${fmtInt(d.checkpoint?.step)}`;
      this.#announce(d);
      return;
    }
    const state = d.state || EVENT_STATE[d.type];
    if (!state || !this.session) return;
    // training-service's transitions carry the new state with its reason (none: the old reason no longer applies).
    const reason = d.state ? (d.reason ?? null) : (d.reason ?? this.session.stateReason);
    this.session = {...this.session, state, stateReason: reason, attempts: Math.max(this.session.attempts || 0, d.attempt || 0)};
    if (d.attempt && this.status) this.status = {...this.status, attempt: Math.max(this.status.attempt || 0, d.attempt)};
  }

  updated() {
    for (const chart of this.querySelectorAll('metric-chart')) if (chart.markers !== this._markers) chart.setMarkers(this._markers);
    if (!this._marked && this.session != null) {
      this._marked = true;
      markRendered('session');
    }
  }
  render() {
    if (this.error) return html`<div class="notice error" role="alert">${this.error} <a href="/">Back to the overview</a></div>`;
    const s = this.session;
    if (!s) return html`<div class="page-head"><h1>Session</h1></div><div class="empty">Loading…</div>`;
    return html`
      <div class="page-head">
        <h1>${s.name}</h1>
        <span data-testid="session-state">${stateBadge(s.state)}</span>
        <span class="muted" data-testid="session-meta">owner ${s.owner} · ${s.template || 'custom config'} · attempt ${this.status?.attempt || s.attempts || 0}</span>
        <span class="spacer"></span>
        <session-actions .session=${s} @session-changed=${(e) => this.#changed(e)}></session-actions>
      </div>
      ${this.notice ? html`<div class="notice" role="status" style="margin-bottom:1rem">${this.notice}</div>` : nothing}
      ${this.#summary(s)}
      <div class="grid session" style="margin-top:1rem">
        <section aria-label="Learning curves">
          <div class="chart-toolbar">
            <strong>Learning curves</strong>
            <span class="muted small">${this.zoom ? `steps ${fmtInt(this.zoom.from)} – ${fmtInt(this.zoom.to)}` : 'all steps'} · drag across a chart to zoom, double-click to zoom out</span>
            <span style="flex:1"></span>
            <button class="small" ?disabled=${!this.zoom} @click=${() => this.#resetZoom()}>Zoom out</button>
            <button class="small" @click=${() => download(`${this.#path}/metrics/export?format=csv`, `metrics-${s.id}.csv`).catch((e) => { this.notice = e.message; })}>Export CSV</button>
          </div>
          ${this.charts.length === 0 && this.namesRead ? html`<p class="muted">No metrics yet: the charts appear as the trainer reports them.</p>` : nothing}
          <div class="grid cols-2" @zoom=${(e) => this.#onZoom(e)} @reset=${() => this.#onReset()}>
            ${repeat(this.charts, (c) => c.key, (c) => html`<metric-chart .heading=${c.heading} .metrics=${c.metrics} .yRange=${c.range}></metric-chart>`)}
          </div>
        </section>
        <aside class="stack">
          <section class="panel" aria-labelledby="game-h"><h2 id="game-h">${ACTIVE_STATES.includes(s.state) ? 'Live game' : 'Last game'}</h2><shogi-game .game=${this.game}></shogi-game></section>
          ${this.#checkpoints(s)}
        </aside>
      </div>
      <div class="grid cols-2" style="margin-top:1rem">
        ${this.#config(s)}
        ${this.#logs(s)}
      </div>`;
  }

  #summary(s) {
    const st = this.status || {};
    const step = Math.max(st.step || 0, s.currentStep || 0);
    const total = st.totalTimesteps || s.config?.training?.total_timesteps || 0;
    const sps = st.stepsPerSecond ?? st.metrics?.steps_per_second;
    const eta = s.state === 'running' ? (st.etaSeconds ?? (sps > 0 && total ? (total - step) / sps : null)) : null;
    const a = st.allocation;
    return html`<div class="grid cols-4">
      <div class="panel stat"><span class="label">Step</span><span class="value" data-testid="step">${fmtInt(step)}</span>
        ${progressBar(total ? step / total : 0, 'Training progress')}
        <span class="muted small">of ${fmtInt(total)}${eta != null ? ` · ETA ${fmtDuration(eta)}` : ''}</span></div>
      <div class="panel stat"><span class="label">Throughput</span><span class="value">${fmtInt(sps)}</span><span class="muted small">steps per second</span></div>
      <div class="panel stat"><span class="label">Reward · eval win rate</span>
        <span class="value">${fmtNum(st.metrics?.episode_reward_mean)} · ${fmtPct(st.metrics?.['eval/win_rate_vs_random'], 0)}</span>
        <span class="muted small">self-play black ${fmtPct(st.metrics?.black_win_rate, 0)} · draws ${fmtPct(st.metrics?.draw_rate, 0)}</span></div>
      <div class="panel stat" data-testid="allocation"><span class="label">Resources</span>
        ${s.state === 'queued' || a?.event === 'allocation.queued' ? html`
          <span class="value">queued${a?.queuePosition ? ` #${a.queuePosition}` : ''}</span>
          <span class="small">${a?.reason || s.stateReason || 'waiting for resources'}</span>`
        : a && a.event !== 'allocation.released' && ACTIVE_STATES.includes(s.state) ? html`
          <span class="value small" style="font-size:1rem">${fmtCpu(a.cpuMillis)} · ${fmtMb(a.memoryMb)}${a.gpuIndices.length ? ` · GPU ${a.gpuIndices.join(', ')}` : ''}</span>
          <span class="muted small">pool ${a.pool || 'local'}</span>`
        : html`<span class="value small" style="font-size:1rem">none held</span>
          <span class="muted small">${s.stateReason || (s.state === 'failed' ? 'failed' : 'resources are requested on start')}</span>`}
      </div>
    </div>`;
  }

  #checkpoints(s) {
    const models = this.models;
    return html`<section class="panel" aria-labelledby="ckpt-h">
      <div class="row"><h2 id="ckpt-h" style="margin:0">Checkpoints</h2><span style="flex:1"></span>
        <a class="small" href="/models?session=${encodeURIComponent(s.id)}">All models →</a></div>
      ${models == null ? html`<p class="muted">Loading…</p>` : models.length === 0 ? html`<p class="muted">None yet.</p>` : html`
        <table data-testid="checkpoints"><thead><tr><th scope="col">Step</th><th scope="col">Attempt</th><th scope="col" class="num">Size</th><th scope="col">Saved</th></tr></thead>
          <tbody>${models.slice(0, 8).map((m) => html`<tr data-model=${m.id}><td>${fmtInt(m.step)}</td><td>${m.attempt}</td>
            <td class="num">${fmtBytes(m.sizeBytes)}</td><td title=${fmtTime(m.createdAt)}>${fmtAgo(m.createdAt)}</td></tr>`)}</tbody></table>`}
    </section>`;
  }

  #config(s) {
    const cfg = s.config || {};
    const editable = canControl(s, 'training.start') && !ACTIVE_STATES.includes(s.state);
    return html`<section class="panel" aria-labelledby="cfg-h">
      <div class="row"><h2 id="cfg-h" style="margin:0">Config</h2><span class="muted small">• differs from Keisei's defaults</span>
        <span style="flex:1"></span>
        ${editable ? html`<a class="button small" href="/new?edit=${encodeURIComponent(s.id)}">Edit config</a>` : nothing}
        ${canControl(s, 'training.stop') && !ACTIVE_STATES.includes(s.state) ? html`<button class="small danger" @click=${() => this.#delete(s)}>Delete session</button>` : nothing}
      </div>
      <details><summary>Effective config (${Object.keys(cfg).length} sections)</summary>
        <div class="table-wrap"><table class="small">
          ${Object.entries(cfg).map(([section, values]) => html`
            <tr><th colspan="2" scope="rowgroup" style="text-transform:capitalize">${section}</th></tr>
            ${Object.entries(values || {}).map(([k, v]) => {
              const d = this.defaults?.[section]?.[k];
              const changed = this.defaults && JSON.stringify(d) !== JSON.stringify(v);
              return html`<tr><td class="mono">${k}${changed ? html` <span style="color:var(--accent)" title="default ${JSON.stringify(d)}">•</span>` : nothing}</td>
                <td class="mono">${JSON.stringify(v)}</td></tr>`;
            })}`)}
        </table></div>
      </details>
    </section>`;
  }

  #logs(s) {
    return html`<section class="panel" aria-labelledby="log-h">
      <h2 id="log-h">Trainer log</h2>
      <details @toggle=${(e) => this.#toggleLog(e.target.open)}>
        <summary>Last 200 lines${ACTIVE_STATES.includes(s.state) ? ' (refreshing)' : ''}</summary>
        <pre class="log" data-testid="log">${this.log ?? 'Loading…'}</pre>
      </details>
    </section>`;
  }

  async #toggleLog(open) {
    clearInterval(this._logPoll);
    if (!open) return;
    const fetchLog = async () => {
      try {
        const text = await api(`${this.#path}/logs?tail=200`);
        this.log = text || '(empty)';
        await this.updateComplete;
        const pre = this.querySelector('pre.log');
        if (pre) pre.scrollTop = pre.scrollHeight;
      } catch (e) {
        this.log = `Cannot read the log: ${e.message}`;
      }
    };
    await fetchLog();
    // The hub does not carry the trainer's log: an open log of a live session is read again every few seconds.
    this._logPoll = setInterval(() => { if (ACTIVE_STATES.includes(this.session?.state) && !document.hidden) fetchLog(); }, 3000);
  }

  #onZoom(e) {
    e.stopPropagation();
    this.zoom = e.detail;
    clearTimeout(this._zoomTimer);
    for (const c of this.querySelectorAll('metric-chart')) {
      if (c !== e.target) { c.zoomed = e.detail; c.u?.setScale('x', {min: e.detail.from, max: e.detail.to}); }
    }
    this._zoomTimer = setTimeout(() => this.#loadHistory(this.zoom), 120);
  }

  #onReset() {
    if (!this.zoom) return;
    this.#resetZoom();
  }

  #resetZoom() {
    this.zoom = null;
    for (const c of this.querySelectorAll('metric-chart')) c.zoomed = null;
    this.#loadHistory(null);
  }

  #changed(e) {
    const {action, session} = e.detail;
    if (session) this.session = session;
    if (action === 'checkpoint') this.notice = 'Checkpoint requested…';
    if (action === 'resume' || action === 'start') this.notice = '';
    // What follows (allocation, state changes) arrives as events; without the hub, read it now.
    if (live.state !== 'open') this.#loadStatus();
  }

  async #delete(s) {
    if (!confirm(`Delete session "${s.name}" and its checkpoints?`)) return;
    try {
      await api(this.#path, {method: 'DELETE'});
      navigate('/');
    } catch (e) {
      this.notice = e.message;
    }
  }
}
customElements.define('session-page', SessionPage);

function chunks(list, size) {
  const out = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
