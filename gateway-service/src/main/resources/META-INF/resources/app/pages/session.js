// Session: live learning curves (zoomable history with min/max bands and attempt markers; smoothing, log scale,
// x axis by step or time, a choice of charts), the live game, controls, allocation and queue, checkpoints, the
// rating of its evaluated checkpoints against their step, automatic gating (policy, best, gate in progress), config and
// the trainer's log.
import {html, nothing} from 'lit';
import {repeat} from 'lit/directives/repeat.js';
import {KElement, markRendered} from '../base.js';
import {api, canControl, download} from '../api.js';
import {live, EVENT_STATE} from '../live.js';
import {navigate} from '../nav.js';
import {fmtInt, fmtNum, fmtPct, fmtBytes, fmtTime, fmtAgo, fmtCpu, fmtMb} from '../format.js';
import {stateBadge, progressBar, toast, confirmAction} from '../widgets.js';
import {ACTIVE_STATES} from '../session-actions.js';
import {ChartSet} from '../metrics.js';
import {totalOf, stepOf, speedOf, etaSeconds, fmtEta} from '../progress.js';
import {runColor} from '../colors.js';
import {StepClock} from '../clock.js';
import {chartView, writeChartView, chartViewControls} from '../chart-view.js';
import {isFixed} from '../evaluations.js';
import '../board.js';
import '../gating.js';

const MAX_POINTS = 800;
/** The history endpoint takes at most this many names per request. */
const NAMES_PER_REQUEST = 100;
const CLOCK_POINTS = 500;
/** The rating chart's one series (a name no trainer metric has, so that live updates leave it alone). */
const ELO = 'league/elo';

/**
 * The points of a session's rating chart from GET /evaluations/ratings?session=: its own rated models as
 * [step, elo, lower, upper] by step (of two models at one step, the one with more games).
 */
export function ratingPoints(ratings, sessionId) {
  const byStep = new Map();
  for (const r of ratings || []) {
    if (isFixed(r.player) || r.step == null || r.session !== sessionId) continue;
    const had = byStep.get(r.step);
    if (!had || r.games > had.games) byStep.set(r.step, r);
  }
  return [...byStep.values()].sort((a, b) => a.step - b.step).map((r) => [r.step, r.elo, r.lower ?? r.elo, r.upper ?? r.elo]);
}

class SessionPage extends KElement {
  static properties = {
    sessionId: {attribute: false},
    query: {attribute: false},
    session: {state: true}, status: {state: true}, game: {state: true}, models: {state: true},
    defaults: {state: true}, log: {state: true}, error: {state: true}, zoom: {state: true}, attempts: {state: true},
    charts: {state: true}, namesRead: {state: true}, view: {state: true}, domain: {state: true},
    clocks: {state: true}, origin: {state: true}, rated: {state: true},
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
    this.charts = [];
    this.namesRead = false;
    this.view = chartView(null, 'session');
    this.domain = null;
    this.clocks = null;
    this.origin = null;
    /** Points of the rating chart ([step, elo, lower, upper]); the chart shows when there are any. */
    this.rated = null;
    this._unsub = null;
    this._colored = new WeakMap();
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
    if (changed.has('query') && this.query) this.view = chartView(this.query, 'session');
    if (changed.has('sessionId') && this.sessionId) {
      this._unsub?.();
      this.session = null;
      this.status = null;
      this.game = null;
      this.models = null;
      this.zoom = null;
      this.attempts = [];
      this._markers = [];
      this._registered = null;
      this._announced = [];
      this._lastLive = null;
      this._chartSet = new ChartSet();
      this._clock = new StepClock();
      this._clockRead = false;
      this.clocks = {'*': this._clock};
      this.domain = null;
      this.origin = null;
      this.rated = null;
      this._ratingSeries = [{name: ELO, label: 'Elo', color: runColor(this.sessionId)}];
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
    if (this.view.xMode !== 'step') await this.#loadClock();
    this.#loadHistory(this.zoom);
    this.#loadAttempts();
    // A live session's game arrives over the hub within a quarter second; a finished one shows its last stored game.
    if (!this.game && this.session.attempts > 0 && !ACTIVE_STATES.includes(this.session.state)) this.#loadGame();
    this.#loadModels();
    this.#loadRatings();
    this.#loadOrigin();
    if (!this.defaults) api('/config/defaults').then((d) => { this.defaults = d; }).catch(() => {});
  }

  async #loadSession() {
    try { this.session = await api(this.#path); } catch { /* keep the last one */ }
  }

  async #loadStatus() {
    try {
      const st = await api(`${this.#path}/status`);
      this.status = {...(this.status || {}), ...st, metrics: {...(this.status?.metrics || {}), ...st.metrics}};
      if (st.stepsPerSecond == null) this.status.stepsPerSecond = null;
      if (st.state && this.session && st.state !== this.session.state) this.#loadSession();
    } catch { /* status appears with the first update */ }
  }

  /** The ratings of the session's evaluated checkpoints, drawn against their step when there are any. */
  async #loadRatings() {
    const id = this.sessionId;
    let points;
    try {
      points = ratingPoints(await api(`/evaluations/ratings?session=${encodeURIComponent(id)}`), id);
    } catch {
      return;   // no chart: ratings are optional here
    }
    if (id !== this.sessionId) return;
    this.rated = points;
    if (points.length === 0) return;
    await this.updateComplete;
    const chart = this.querySelector('metric-chart[data-rating]');
    if (!chart) return;
    await chart.updateComplete;
    chart.setHistory([{metric: ELO, resolution: 'raw', points}]);
  }

  /** The checkpoint a forked (or resumeFrom) session starts from, with its session's name. */
  async #loadOrigin() {
    const id = this.session?.resumeFromCheckpointId;
    if (!id) return;
    try {
      const m = await api(`/models/${encodeURIComponent(id)}`);
      let from = null;
      try { from = await api(`/sessions/${encodeURIComponent(m.session)}`); } catch { /* deleted since */ }
      this.origin = {id, step: m.step, session: m.session, name: from?.name || null};
    } catch {
      this.origin = {id, step: null, session: null, name: null};
    }
  }

  /** When the trainer reported each step: needed to draw against time (read once, then extended by live updates). */
  async #loadClock() {
    if (this._clockRead) return;
    try {
      const c = await api(`${this.#path}/metrics/clock?max_points=${CLOCK_POINTS}`);
      const clock = new StepClock(c.points || []);
      // Live reports that arrived while reading are newer than what was read.
      for (let i = 0; i < this._clock.size; i++) clock.add(this._clock.steps[i], this._clock.times[i]);
      this._clock = clock;
      this._clockRead = true;
      this.clocks = {'*': clock};
    } catch (e) {
      this.#say(`Cannot read the run's clock: ${e.message}`, 'error');
    }
  }

  /** Adds metric names to the charts; answers the charts that are new or gained a metric. */
  #addMetrics(names) {
    const touched = this._chartSet.add(names);
    if (touched.length) this.charts = this._chartSet.charts;
    return touched;
  }

  /** The charts shown: all but the hidden ones. */
  get #shown() {
    return this.charts.filter((c) => !this.view.hide.has(c.key));
  }

  /** A chart's series: a chart of one metric is drawn in the run's colour (the same as on the overview and in Compare). */
  #series(c) {
    if (c.metrics.length !== 1) return c.metrics;
    let colored = this._colored.get(c.metrics);
    if (!colored) {
      colored = [{...c.metrics[0], color: runColor(this.sessionId)}];
      this._colored.set(c.metrics, colored);
    }
    return colored;
  }

  #chartElements(keys) {
    return [...this.querySelectorAll('metric-chart')].filter((el) => !keys || keys.has(el.dataset.key));
  }

  /**
   * Loads history into `charts` (all shown ones when absent) for a step range (everything when absent).
   * A load of all charts replaces any load still running; loads of single new charts run beside it.
   */
  async #loadHistory(range, charts) {
    const all = !charts;
    const targets = (charts || this.charts).filter((c) => !this.view.hide.has(c.key));
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
      const els = this.#chartElements(new Set(targets.map((c) => c.key)));
      await Promise.all(els.map((c) => c.updateComplete));
      const last = this._lastLive;
      for (const chart of els) {
        chart.setHistory(series, range);
        // The newest live point may not be stored yet when the history is read.
        if (!range && last && (chart.lastStep == null || last.step > chart.lastStep)) chart.append(last.step, last.metrics);
      }
      if (!range) this.#widenDomain(els);
    } catch (e) {
      if (e.name !== 'AbortError') this.#say(`History: ${e.message}`, 'error');
    } finally {
      this._partial?.delete(ctl);
    }
  }

  /** The steps every chart of the page spans, so that their x axes and attempt markers line up. */
  #widenDomain(els, step) {
    let min = this.domain?.min ?? null;
    let max = this.domain?.max ?? null;
    for (const el of els || []) {
      const a = el.firstStep;
      const b = el.lastStep;
      if (a != null && (min == null || a < min)) min = a;
      if (b != null && (max == null || b > max)) max = b;
    }
    if (step != null && (max == null || step > max)) max = step;
    if (step != null && (min == null || step < min)) min = step;
    if (min !== this.domain?.min || max !== this.domain?.max) this.domain = {min, max};
  }

  async #loadAttempts() {
    let stored = [];
    try {
      stored = await api(`${this.#path}/metrics/attempts`);
    } catch { /* markers then come from live updates only */ }
    // Attempts seen live while reading (or before the store had them) are kept.
    const seen = new Map(stored.map((a) => [a.attempt, a]));
    for (const a of this.attempts) if (!seen.has(a.attempt)) seen.set(a.attempt, a);
    this.#setAttempts([...seen.values()].sort((a, b) => a.attempt - b.attempt));
  }

  #setAttempts(attempts) {
    this.attempts = attempts;
    this._markers = attempts.filter((a) => a.attempt > 1 && a.firstStep != null)
      .map((a) => ({step: a.firstStep, label: `attempt ${a.attempt}`}));
  }

  /** A resumed attempt's first live update marks where it begins, at once (no reload). */
  #noteAttempt(d) {
    if (!(d.attempt > 1) || d.step == null) return;
    if (this.attempts.some((a) => a.attempt >= d.attempt)) return;
    this.#setAttempts([...this.attempts, {attempt: d.attempt, firstStep: d.step}]);
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
        // The speed is the gateway's smoothed estimate (progress.js), as on every other page.
        this.status = {...prev, step: d.step ?? prev.step, attempt: d.attempt ?? prev.attempt, metrics,
          stepsPerSecond: d.stepsPerSecond ?? prev.stepsPerSecond};
        this.#noteAttempt(d);
        if (d.time != null) this._clock.add(d.step, d.time);
        this._lastLive = {step: d.step, metrics};
        for (const chart of this.querySelectorAll('metric-chart')) chart.append(d.step, metrics);
        this.#widenDomain(null, d.step);
        const added = this.#addMetrics(Object.keys(d.metrics || {}));
        if (added.length) {
          const fresh = new Set(added.map((c) => c.key));
          this.updateComplete.then(() => {
            // After the chart's first update, which starts it empty.
            for (const chart of this.#chartElements(fresh)) chart.updateComplete.then(() => chart.append(d.step, metrics));
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
      this.#say(`Checkpoint saved at step ${fmtInt(d.checkpoint?.step)}`);
      this.#announce(d);
      return;
    }
    const state = d.state || EVENT_STATE[d.type];
    if (!state || !this.session) return;
    // training-service's transitions carry the new state with its reason (none: the old reason no longer applies).
    const reason = d.state ? (d.reason ?? null) : (d.reason ?? this.session.stateReason);
    this.session = {...this.session, state, stateReason: reason, attempts: Math.max(this.session.attempts || 0, d.attempt || 0)};
    if (this.status) {
      this.status = {...this.status, attempt: Math.max(this.status.attempt || 0, d.attempt || 0),
        // A session that stops running has no speed; the next attempt's is estimated anew.
        stepsPerSecond: state === 'running' ? this.status.stepsPerSecond : null};
    }
  }

  /** A passing message (saved checkpoints, failed reads): a toast, gone after a few seconds, that moves nothing. */
  #say(text, kind = 'info') {
    toast(text, {kind, timeout: 8000});
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
    const shown = this.#shown;
    return html`
      <div class="page-head">
        <h1><i class="run-swatch" style="background:var(${runColor(s.id)})" title="this run's colour in every chart"></i>${s.name}</h1>
        <span data-testid="session-state">${stateBadge(s.state)}</span>
        <span class="muted" data-testid="session-meta">owner ${s.owner} · ${s.template || 'custom config'} · <span data-testid="session-pool"
          title="the resource pool its trainer runs in">${s.pool ? `pool ${s.pool}` : 'default pool'}</span> · attempt ${this.status?.attempt || s.attempts || 0}</span>
        <span class="spacer"></span>
        <session-actions .session=${s} @session-changed=${(e) => this.#changed(e)}></session-actions>
      </div>
      ${this.#summary(s)}
      <div class="grid session" style="margin-top:1rem">
        <section aria-label="Learning curves">
          <div class="chart-toolbar">
            <strong>Learning curves</strong>
            <span class="muted small">${this.zoom ? `steps ${fmtInt(this.zoom.from)} – ${fmtInt(this.zoom.to)}` : 'all steps'} · drag across a chart to zoom, double-click to zoom out</span>
            <span style="flex:1"></span>
            ${chartViewControls(this.view, (v) => this.#setView(v))}
            ${this.#picker()}
            <button class="small" ?disabled=${!this.zoom} @click=${() => this.#resetZoom()}>Zoom out</button>
            <button class="small" @click=${() => download(`${this.#path}/metrics/export?format=csv`, `metrics-${s.id}.csv`).catch((e) => this.#say(e.message))}>Export CSV</button>
          </div>
          ${this.charts.length === 0 && this.namesRead ? html`<p class="muted panel" data-testid="no-metrics">No metrics yet: the charts appear as the trainer reports them${
            s.state === 'created' ? ' (start the session first)' : ''}.</p>` : nothing}
          ${this.charts.length > 0 && shown.length === 0 ? html`<p class="muted">Every chart is hidden: choose some under “Charts”.</p>` : nothing}
          <div class="grid cols-2" @zoom=${(e) => this.#onZoom(e)} @reset=${() => this.#onReset()}>
            ${repeat(shown, (c) => c.key, (c) => html`<metric-chart data-key=${c.key} .heading=${c.heading} .metrics=${this.#series(c)}
              .yRange=${c.range} .smoothing=${this.view.smoothing} .logScale=${this.view.log.has(c.key)} .xMode=${this.view.xMode}
              .clocks=${this.clocks} .domain=${this.domain} empty-text="No points yet: they appear as the trainer reports them."
              @log-scale=${(e) => this.#onLog(c.key, e.detail.log)}></metric-chart>`)}
          </div>
        </section>
        <aside class="stack">
          <section class="panel" aria-labelledby="game-h"><h2 id="game-h">${ACTIVE_STATES.includes(s.state) ? 'Live game' : 'Last game'}</h2><shogi-game .game=${this.game}></shogi-game></section>
          ${this.#checkpoints(s)}
          <gating-panel .session=${s} @gating-changed=${() => this.#loadSession()}></gating-panel>
          ${this.#ratingChart(s)}
        </aside>
      </div>
      <div class="grid cols-2" style="margin-top:1rem">
        ${this.#config(s)}
        ${this.#logs(s)}
      </div>`;
  }

  /** The choice of charts: every metric the trainer reported, including ones this dashboard has no heading for. */
  #picker() {
    const total = this.charts.length;
    if (total === 0) return nothing;
    const hidden = this.view.hide;
    const shownCount = this.charts.filter((c) => !hidden.has(c.key)).length;
    return html`<details class="metric-picker" data-testid="metric-picker">
      <summary class="button small">Charts (${shownCount} of ${total})</summary>
      <div class="picker-panel" role="group" aria-label="Charts to show">
        <div class="row" style="margin-bottom:.3rem">
          <button class="small" type="button" @click=${() => this.#setHidden(new Set())}>Show all</button>
          <button class="small" type="button" @click=${() => this.#setHidden(new Set(this.charts.map((c) => c.key)))}>Hide all</button>
        </div>
        ${this.charts.map((c) => html`<label><input type="checkbox" data-chart=${c.key} .checked=${!hidden.has(c.key)}
            @change=${(e) => this.#toggleChart(c.key, e.target.checked)}>
          <span>${c.heading}${c.heading !== c.metrics[0].name ? html` <span class="muted small mono">${c.metrics.map((m) => m.name).join(', ')}</span>` : nothing}</span></label>`)}
      </div></details>`;
  }

  #toggleChart(key, on) {
    const hide = new Set(this.view.hide);
    if (on) hide.delete(key); else hide.add(key);
    this.#setHidden(hide);
  }

  #setHidden(hide) {
    const before = this.view.hide;
    this.#setView({...this.view, hide});
    const back = this.charts.filter((c) => before.has(c.key) && !hide.has(c.key));
    // A chart shown again is a new element: it reads its history.
    if (back.length) this.updateComplete.then(() => this.#loadHistory(this.zoom, back));
  }

  #onLog(key, on) {
    const log = new Set(this.view.log);
    if (on) log.add(key); else log.delete(key);
    this.#setView({...this.view, log});
  }

  #setView(view) {
    const timeNow = view.xMode !== 'step' && this.view.xMode === 'step';
    this.view = view;
    writeChartView(view, 'session');
    if (timeNow) this.#loadClock();
  }

  #summary(s) {
    const st = this.status || {};
    const step = stepOf(s, st);
    const total = totalOf(s, st);
    const sps = speedOf(s, st);
    const eta = etaSeconds(s, st);
    const a = st.allocation;
    const o = this.origin;
    return html`<div class="grid cols-4">
      <div class="panel stat"><span class="label">Step</span><span class="value" data-testid="step">${fmtInt(step)}</span>
        ${progressBar(total ? step / total : 0, 'Training progress')}
        <span class="muted small">of ${fmtInt(total)}${eta != null ? html` · <span data-testid="eta">ETA ${fmtEta(eta)}</span>` : ''}</span>
        ${o ? html`<span class="muted small" data-testid="origin">${s.attempts > 0 ? 'started' : 'starts'} from the checkpoint at step
          ${o.step != null ? fmtInt(o.step) : '?'}${o.session ? html` of <a href="/sessions/${encodeURIComponent(o.session)}">${o.name || o.session}</a>` : ''}</span>` : nothing}</div>
      <div class="panel stat" data-testid="throughput"><span class="label">Throughput</span>
        <span class="value">${sps != null ? fmtInt(sps) : '–'}</span>
        <span class="muted small">${s.state === 'running' ? (sps != null ? 'steps per second, smoothed over a minute' : 'measuring…')
          : `not training (${s.state})`}</span></div>
      <div class="panel stat"><span class="label">Reward · eval win rate</span>
        <span class="value">${fmtNum(st.metrics?.episode_reward_mean)} · ${fmtPct(st.metrics?.['eval/win_rate_vs_random'], 0)}</span>
        <span class="muted small">self-play black ${fmtPct(st.metrics?.black_win_rate, 0)} · draws ${fmtPct(st.metrics?.draw_rate, 0)}</span></div>
      <div class="panel stat" data-testid="allocation"><span class="label">Resources</span>
        ${s.state === 'queued' || (a?.event === 'allocation.queued' && ACTIVE_STATES.includes(s.state)) ? html`
          <span class="value">queued${a?.queuePosition ? ` #${a.queuePosition}` : ''}</span>
          <span class="small">${a?.reason || s.stateReason || 'waiting for resources'}</span>`
        : a && a.event !== 'allocation.released' && ACTIVE_STATES.includes(s.state) ? html`
          <span class="value small" style="font-size:1rem">${fmtCpu(a.cpuMillis)} · ${fmtMb(a.memoryMb)}${a.gpuIndices?.length ? ` · GPU ${a.gpuIndices.join(', ')}` : ''}</span>
          <span class="muted small">pool ${a.pool || 'local'}</span>`
        : html`<span class="value small" style="font-size:1rem">none held</span>
          <span class="muted small">${this.#noResources(s)}</span>`}
      </div>
    </div>`;
  }

  /** Why a session holds nothing, in its state's words. */
  #noResources(s) {
    switch (s.state) {
      case 'created': return 'resources are requested when it starts';
      case 'paused': return 'released while paused; requested again on resume';
      case 'failed': return s.stateReason || 'failed';
      case 'stopped': case 'completed': return `released (${s.state})`;
      default: return s.stateReason || 'none requested';
    }
  }

  #checkpoints(s) {
    const models = this.models;
    return html`<section class="panel" aria-labelledby="ckpt-h">
      <div class="row"><h2 id="ckpt-h" style="margin:0">Checkpoints</h2><span style="flex:1"></span>
        <a class="small" href="/models?session=${encodeURIComponent(s.id)}">All models →</a></div>
      ${models == null ? html`<p class="muted">Loading…</p>` : models.length === 0 ? html`<p class="muted">None yet.</p>` : html`
        <div class="table-wrap"><table data-testid="checkpoints"><thead><tr><th scope="col">Step</th><th scope="col">Attempt</th><th scope="col" class="num">Size</th><th scope="col">Saved</th></tr></thead>
          <tbody>${models.slice(0, 8).map((m) => html`<tr data-model=${m.id}><td>${fmtInt(m.step)}</td><td>${m.attempt}</td>
            <td class="num">${fmtBytes(m.sizeBytes)}</td><td title=${fmtTime(m.createdAt)}>${fmtAgo(m.createdAt)}</td></tr>`)}</tbody></table></div>`}
    </section>`;
  }

  /** Rating against step of the session's rated checkpoints, the 95 % interval as a band; nothing before any is rated. */
  #ratingChart(s) {
    if (!this.rated?.length) return nothing;
    return html`<section class="panel rating-chart" aria-labelledby="rating-h" data-testid="rating-chart">
      <div class="row"><h2 id="rating-h" style="margin:0">Rating vs step</h2><span class="muted small">${this.rated.length} rated</span>
        <span style="flex:1"></span><a class="small" href="/models/leaderboard?session=${encodeURIComponent(s.id)}">Leaderboard →</a></div>
      <metric-chart data-rating error-bars heading="Elo, 95 % interval" .metrics=${this._ratingSeries} .height=${170} y-label="Elo"
        .domain=${this.domain} empty-text="No rated checkpoints."></metric-chart>
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
    for (const c of this.querySelectorAll('metric-chart')) if (c !== e.target) c.zoomTo(e.detail);
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
    if (action === 'checkpoint') this.#say('Checkpoint requested…');
    // What follows (allocation, state changes) arrives as events; without the hub, read it now.
    if (live.state !== 'open') this.#loadStatus();
  }

  async #delete(s) {
    if (!await confirmAction({title: `Delete session ${s.name}?`, key: 'delete', confirmLabel: 'Delete',
      body: 'Its checkpoints, metric history and games are deleted with it. This cannot be undone.'})) return;
    try {
      await api(this.#path, {method: 'DELETE'});
      navigate('/');
    } catch (e) {
      this.#say(e.message);
    }
  }
}
customElements.define('session-page', SessionPage);

function chunks(list, size) {
  const out = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
