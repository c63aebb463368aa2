// Leaderboard: every player's Elo rating with its 95 % interval drawn in the row (random anchored at 0), of one
// session's evaluations or of all, sortable; the head-to-head matrix of who scored what against whom; a form that
// files an evaluation (models.evaluate); the recent evaluations with their state, score and progress, cancellable.
// The evaluations topic of the live hub says when an evaluation changes state: the list, the ratings and the matrix
// are read again then (debounced); without the hub they are read again every two seconds while any is active.
// Served at /models/leaderboard and /leaderboard. Everything chosen is in the URL: ?session=…&sort=…&dir=…
import {html, nothing} from 'lit';
import {KElement, markRendered} from '../base.js';
import {api, can} from '../api.js';
import {live} from '../live.js';
import {setQuery} from '../nav.js';
import {stateBadge, toast, confirmAction} from '../widgets.js';
import {fmtInt, fmtAgo, fmtTime} from '../format.js';
import {FIXED_PLAYERS, ACTIVE_EVALUATION, PlayerNames, fixedTitle, isFixed, progressOf, scoreText, mayCancel} from '../evaluations.js';

/** The sortable columns: query value → heading and the value a rating sorts by. */
const SORTS = {
  player: {label: 'Player', value: (r, names) => names.text(r.player).toLowerCase(), text: true},
  elo: {label: 'Elo', value: (r) => r.elo},
  games: {label: 'Games', value: (r) => r.games},
  wins: {label: 'W', value: (r) => r.wins, title: 'wins'},
  draws: {label: 'D', value: (r) => r.draws, title: 'draws'},
  losses: {label: 'L', value: (r) => r.losses, title: 'losses'},
};
const DEFAULT_SORT = 'elo';
const DEFAULT_DIR = 'desc';
const POLL_MS = 2000;
/** With the live hub open, events say when to read again; a slow read while any is active covers a lost one. */
const POLL_LIVE_MS = 15000;
/** Events of one moment (an evaluation ends, its allocation is released, a checkpoint is promoted): one read. */
const LIVE_DEBOUNCE_MS = 300;
const RECENT = 20;
const DEFAULT_GAMES = 100;

/** A copy of `ratings` in a column's order; ties keep the stronger player first. */
export function sortRatings(ratings, sort, dir, names = new PlayerNames()) {
  const col = SORTS[sort] || SORTS[DEFAULT_SORT];
  const sign = dir === 'asc' ? 1 : -1;
  return [...ratings].sort((a, b) => {
    const va = col.value(a, names);
    const vb = col.value(b, names);
    if (va !== vb) return sign * (col.text ? String(va).localeCompare(String(vb)) : va < vb ? -1 : 1);
    return b.elo - a.elo || String(a.player).localeCompare(String(b.player));
  });
}

/**
 * The head-to-head matrix in the order of `players` (ids): `cells[i][j]` is what players[i] scored against players[j]
 * ({wins, draws, losses, games, score (0..1), evaluations, latest}), null where they never met or i = j.
 */
export function headToHeadMatrix(h2h, players) {
  const byPair = new Map();
  for (const p of h2h?.pairs || []) byPair.set(`${p.a}\u0000${p.b}`, p);
  const cell = (row, col) => {
    if (row === col) return null;
    const direct = byPair.get(`${row}\u0000${col}`);
    const p = direct || byPair.get(`${col}\u0000${row}`);
    if (!p || !p.games) return null;
    const wins = direct ? p.aWins : p.bWins;
    const losses = direct ? p.bWins : p.aWins;
    return {wins, draws: p.draws, losses, games: p.games, score: (wins + p.draws / 2) / p.games,
      evaluations: p.evaluations, latest: p.latestEvaluation};
  };
  return players.map((row) => players.map((col) => cell(row, col)));
}

/** A score's colour: the panel's background mixed with green above one half, red below, stronger the farther off. */
export function scoreColor(score) {
  const off = Math.min(1, Math.abs(score - 0.5) * 2);
  const pct = Math.round(off * 45);
  return pct === 0 ? 'var(--panel-2)' : `color-mix(in srgb, var(${score > 0.5 ? '--ok' : '--bad'}) ${pct}%, var(--panel))`;
}

/** The Elo range the interval bars share: every interval and 0 (the anchor), with a margin. */
export function barScale(ratings) {
  let lo = 0;
  let hi = 0;
  for (const r of ratings) {
    lo = Math.min(lo, r.lower ?? r.elo, r.elo);
    hi = Math.max(hi, r.upper ?? r.elo, r.elo);
  }
  if (hi - lo < 1) return {lo: lo - 100, hi: hi + 100};
  const pad = (hi - lo) * 0.04;
  return {lo: lo - pad, hi: hi + pad};
}

function signed(v) {
  const n = Math.round(v);
  return n > 0 ? `+${fmtInt(n)}` : fmtInt(n);
}

class LeaderboardPage extends KElement {
  static properties = {
    query: {attribute: false}, sessions: {state: true}, session: {state: true}, ratings: {state: true},
    evaluations: {state: true}, headToHead: {state: true}, error: {state: true}, sort: {state: true}, dir: {state: true},
    formSession: {state: true}, formModels: {state: true}, playerA: {state: true}, playerB: {state: true},
    games: {state: true}, submitting: {state: true}, formError: {state: true}, fieldErrors: {state: true},
    filed: {state: true}, names: {state: true},
  };

  constructor() {
    super();
    this.sessions = [];
    this.session = '';
    this.ratings = null;
    this.evaluations = null;
    this.headToHead = null;
    this.error = '';
    this.sort = DEFAULT_SORT;
    this.dir = DEFAULT_DIR;
    this.formSession = '';
    this.formModels = [];
    this.playerA = '';
    this.playerB = 'random';
    this.games = DEFAULT_GAMES;
    this.submitting = false;
    this.formError = '';
    this.fieldErrors = [];
    /** The evaluation this page filed last (shown under the form, marked in the list). */
    this.filed = null;
    this.names = new PlayerNames();
    this._timer = 0;
    this._seq = 0;
    this._debounce = 0;
    this._unsub = null;
  }

  connectedCallback() {
    super.connectedCallback();
    this.session = this.query?.get('session') || '';
    const sort = this.query?.get('sort');
    this.sort = sort in SORTS ? sort : DEFAULT_SORT;
    this.dir = this.query?.get('dir') === 'asc' ? 'asc' : this.query?.get('dir') === 'desc' ? 'desc' : DEFAULT_DIR;
    this._unsub = live.subscribe('evaluations', (m) => this.#onLive(m));
    this.#boot();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this._timer);
    clearTimeout(this._debounce);
    this._timer = 0;
    this._unsub?.();
    this._unsub = null;
  }

  /** An evaluation changed state (or a checkpoint was promoted): read again, once for a burst of events. */
  #onLive(m) {
    if (m.type === 'resync') {
      this.#load();
      return;
    }
    if (m.type !== 'evaluation_event') return;
    // In one session's scope, other sessions' evaluations (and those of none) change nothing shown.
    if (this.session && m.session !== this.session) return;
    clearTimeout(this._debounce);
    this._debounce = setTimeout(() => this.#refresh(true), LIVE_DEBOUNCE_MS);
  }

  async #boot() {
    try {
      const p = await api('/sessions?size=200');
      this.sessions = p.items;
      this.names = new PlayerNames().addSessions(p.items);
    } catch (e) {
      this.error = e.message;
    }
    if (can('models.evaluate')) this.#pickFormSession(this.session || this.sessions[0]?.id || '');
    this.#load();
  }

  /** Ratings, the recent evaluations and the models their players name, for the scope. */
  async #load() {
    const seq = ++this._seq;
    const q = this.session ? `session=${encodeURIComponent(this.session)}` : '';
    try {
      const [ratings, evaluations, models, headToHead] = await Promise.all([
        api(`/evaluations/ratings${q ? `?${q}` : ''}`),
        api(`/evaluations?${q ? `${q}&` : ''}size=${RECENT}`),
        api(`/models?${q ? `${q}&` : ''}size=200`).catch(() => ({items: []})),
        api(`/evaluations/head-to-head${q ? `?${q}` : ''}`).catch(() => ({players: [], pairs: []})),
      ]);
      if (seq !== this._seq) return;
      this.names = new PlayerNames().addSessions(this.sessions).addModels(models.items).addModels(this.formModels).addRatings(ratings);
      this.ratings = ratings;
      this.evaluations = evaluations;
      this.headToHead = headToHead;
      this.error = '';
    } catch (e) {
      if (seq !== this._seq) return;
      this.error = e.message;
      this.ratings ??= [];
      this.evaluations ??= [];
    }
    this.#schedule();
  }

  /**
   * While an evaluation is queued or running, the list is read again (the ratings and the matrix when one ends):
   * every two seconds without the live hub, rarely with it (its events trigger the reads).
   */
  #schedule() {
    clearTimeout(this._timer);
    this._timer = 0;
    if (!this.isConnected || !(this.evaluations || []).some((e) => ACTIVE_EVALUATION.includes(e.state))) return;
    this._timer = setTimeout(() => this.#refresh(), live.state === 'open' ? POLL_LIVE_MS : POLL_MS);
  }

  /** Reads the recent evaluations again; toasts those that ended; ratings and matrix again when one completed. */
  async #refresh(fromEvent = false) {
    if (document.hidden && !fromEvent) {
      this.#schedule();
      return;
    }
    const seq = this._seq;
    const q = this.session ? `session=${encodeURIComponent(this.session)}&` : '';
    try {
      const fresh = await api(`/evaluations?${q}size=${RECENT}`);
      if (seq !== this._seq) return;
      const before = new Map((this.evaluations || []).map((e) => [e.id, e.state]));
      const ended = fresh.filter((e) => ACTIVE_EVALUATION.includes(before.get(e.id)) && !ACTIVE_EVALUATION.includes(e.state));
      this.evaluations = fresh;
      if (this.filed) this.filed = fresh.find((e) => e.id === this.filed.id) || this.filed;
      for (const e of ended) {
        const kind = e.state === 'completed' ? 'ok' : e.state === 'failed' ? 'error' : 'info';
        toast(`Evaluation ${e.state}: ${this.names.text(e.playerA)} vs ${this.names.text(e.playerB)} ${scoreText(e)}`, {kind});
      }
      // A completed evaluation adds games; an event may also tell of one this list never showed as active.
      if (ended.some((e) => e.state === 'completed') || fromEvent) {
        const q = this.session ? `?session=${encodeURIComponent(this.session)}` : '';
        const [ratings, headToHead] = await Promise.all([api(`/evaluations/ratings${q}`),
          api(`/evaluations/head-to-head${q}`).catch(() => this.headToHead)]);
        if (seq !== this._seq) return;
        this.names = this.names.addRatings(ratings);
        this.ratings = ratings;
        this.headToHead = headToHead;
      }
    } catch { /* read again at the next tick */ }
    this.#schedule();
  }

  #remember() {
    const custom = this.sort !== DEFAULT_SORT || this.dir !== DEFAULT_DIR;
    setQuery({session: this.session, sort: custom ? this.sort : '', dir: custom ? this.dir : ''});
  }

  #setScope(id) {
    this.session = id;
    this.ratings = null;
    this.evaluations = null;
    this.headToHead = null;
    this.#remember();
    if (id && can('models.evaluate')) this.#pickFormSession(id);
    this.#load();
  }

  /** A header click: the same column flips its order; another starts with the highest first (names: A to Z). */
  #sortBy(key) {
    if (this.sort === key) {
      this.dir = this.dir === 'desc' ? 'asc' : 'desc';
    } else {
      this.sort = key;
      this.dir = SORTS[key].text ? 'asc' : 'desc';
    }
    this.#remember();
  }

  /** The session whose models the form offers; player A becomes its newest model. */
  async #pickFormSession(id) {
    this.formSession = id;
    this.formModels = [];
    if (!id) {
      if (!this.playerA || !isFixed(this.playerA)) this.playerA = 'baseline:1';
      return;
    }
    try {
      const page = await api(`/models?session=${encodeURIComponent(id)}&size=200`);
      if (this.formSession !== id) return;
      this.formModels = [...page.items].sort((a, b) => b.step - a.step);
      this.names = this.names.addModels(page.items);
    } catch { /* the fixed players remain */ }
    if (this.formSession !== id) return;
    this.playerA = this.formModels[0]?.id || 'baseline:1';
    if (this.playerB === this.playerA) this.playerB = 'random';
  }

  updated() {
    if (!this._marked && this.ratings != null) {
      this._marked = true;
      markRendered('leaderboard');
    }
  }

  render() {
    const ratings = this.ratings ? sortRatings(this.ratings, this.sort, this.dir, this.names) : null;
    const mayEvaluate = can('models.evaluate');
    return html`
      <div class="page-head">
        <h1>Leaderboard</h1>
        <span class="muted" data-testid="player-count">${this.ratings ? `${this.ratings.length} player${this.ratings.length === 1 ? '' : 's'}` : ''}</span>
        <span class="spacer"></span>
        <span class="row"><label class="small" for="lb-scope">Ratings of</label>
          <select id="lb-scope" data-testid="scope" @change=${(e) => this.#setScope(e.target.value)}>
            <option value="" ?selected=${!this.session}>all sessions</option>
            ${this.sessions.map((s) => html`<option value=${s.id} ?selected=${s.id === this.session}>${s.name}</option>`)}
          </select></span>
      </div>
      ${this.error ? html`<div class="notice error" role="alert">${this.error}</div>` : nothing}
      <div class="grid ${mayEvaluate ? 'with-side wide-side' : ''}">
        <section class="panel" aria-labelledby="lb-h">
          <div class="row"><h2 id="lb-h" style="margin:0">Ratings</h2>
            <span class="muted small">Elo with its 95 % interval, from every completed evaluation ${this.session ? 'of this session' : 'of all sessions'};
              the random player is the anchor at 0.</span></div>
          ${ratings == null ? html`<div class="empty">Loading…</div>` : ratings.length === 0 ? html`<div class="empty" data-testid="no-ratings">
            No ratings yet: they come from completed evaluations${mayEvaluate ? ' (file one with the form)' : ''}.</div>` : this.#table(ratings)}
        </section>
        ${mayEvaluate ? this.#form() : nothing}
      </div>
      ${ratings?.length ? this.#matrix(ratings) : nothing}
      ${this.#recent()}`;
  }

  #table(ratings) {
    const scale = barScale(ratings);
    const rank = new Map([...ratings].sort((a, b) => b.elo - a.elo).map((r, i) => [r.player, i + 1]));
    return html`<div class="table-wrap"><table data-testid="ratings" data-sort=${this.sort} data-dir=${this.dir}>
      <thead><tr><th scope="col" class="num">#</th>${this.#th('player', '')}${this.#th('elo', 'num')}
        <th scope="col">95 % interval</th>${this.#th('games', 'num')}${this.#th('wins', 'num')}${this.#th('draws', 'num')}${this.#th('losses', 'num')}</tr></thead>
      <tbody>${ratings.map((r) => this.#row(r, rank.get(r.player), scale))}</tbody></table></div>`;
  }

  #th(key, cls) {
    const sorted = this.sort === key;
    const s = SORTS[key];
    return html`<th scope="col" class=${cls} data-col=${key}
        aria-sort=${sorted ? (this.dir === 'asc' ? 'ascending' : 'descending') : nothing}>
      <button class="sort" type="button" @click=${() => this.#sortBy(key)}
        title="Sort by ${s.title || s.label.toLowerCase()}">${s.label}${s.title ? html`<span class="sr-only"> (${s.title})</span>` : nothing}</button></th>`;
  }

  #row(r, rank, scale) {
    const pct = (v) => (((v - scale.lo) / (scale.hi - scale.lo)) * 100).toFixed(2);
    const lower = r.lower ?? r.elo;
    const upper = r.upper ?? r.elo;
    const interval = r.anchor ? 'fixed at 0 (anchor)' : `${signed(lower)} to ${signed(upper)}`;
    return html`<tr data-player=${r.player} data-elo=${r.elo} ?data-anchor=${r.anchor} ?data-unanchored=${!r.anchored}>
      <td class="num muted">${rank}</td>
      <td data-col="player"><span class="row" style="gap:.35rem">${this.names.cell(r.player)}
        ${r.anchor ? html`<span class="badge anchor" data-testid="anchor" title="A fixed player: its rating is set, not fitted">anchor</span>` : nothing}
        ${!r.anchored ? html`<span class="badge unanchored" data-testid="unanchored"
          title="No chain of games links it to an anchor: rated relative to its own group only">not anchored</span>` : nothing}</span></td>
      <td class="num" data-col="elo"><strong>${signed(r.elo)}</strong></td>
      <td data-col="interval" data-lower=${lower} data-upper=${upper}>
        <div class="ci-cell"><div class="ci" role="img" aria-label="95 % interval ${interval}" title="95 % interval ${interval}">
          <span class="ci-zero" style="left:${pct(0)}%"></span>
          ${r.anchor ? nothing : html`<span class="ci-bar" style="left:${pct(lower)}%;width:${(pct(upper) - pct(lower)).toFixed(2)}%"></span>`}
          <span class="ci-dot" style="left:${pct(r.elo)}%"></span></div>
        <span class="small muted ci-text">${r.anchor ? 'fixed' : `${signed(lower)} … ${signed(upper)}`}</span></div></td>
      <td class="num" data-col="games">${fmtInt(r.games)}</td>
      <td class="num" data-col="wins">${fmtInt(r.wins)}</td><td class="num" data-col="draws">${fmtInt(r.draws)}</td>
      <td class="num" data-col="losses">${fmtInt(r.losses)}</td></tr>`;
  }

  /**
   * Who scored what against whom: a table with a header per player on both axes, in the ratings table's order; each
   * cell the row player's score against the column player (W-D-L and the games in its title), coloured by the score,
   * linking to the newest evaluation of the pair; empty where they never met. It scrolls inside its panel.
   */
  #matrix(ratings) {
    const h2h = this.headToHead;
    const ids = ratings.map((r) => r.player);
    // Players of the table first; anyone the matrix has beyond them (none, normally) after.
    for (const p of h2h?.players || []) if (!ids.includes(p.id)) ids.push(p.id);
    const rank = new Map([...ratings].sort((a, b) => b.elo - a.elo).map((r, i) => [r.player, i + 1]));
    const cells = headToHeadMatrix(h2h, ids);
    const label = (id) => `${rank.has(id) ? `#${rank.get(id)} ` : ''}${this.names.text(id)}`;
    return html`<section class="panel" aria-labelledby="h2h-h" style="margin-top:1rem">
      <div class="row"><h2 id="h2h-h" style="margin:0">Head to head</h2>
        <span class="muted small">The row player’s score against the column player (a win 1, a draw ½) in completed evaluations
          ${this.session ? 'of this session' : 'of all sessions'}; hover a cell for wins, draws and losses, click it for the newest evaluation.</span></div>
      ${h2h == null ? html`<div class="empty">Loading…</div>` : html`<div class="table-wrap h2h-wrap"><table class="h2h" data-testid="head-to-head">
        <caption class="sr-only">Head to head: the row player's score against the column player</caption>
        <thead><tr><td class="h2h-corner"></td>${ids.map((id) => html`<th scope="col" data-player=${id} title=${label(id)}>
          <span aria-hidden="true">${rank.has(id) ? `#${rank.get(id)}` : this.names.text(id)}</span><span class="sr-only">${label(id)}</span></th>`)}</tr></thead>
        <tbody>${ids.map((row, i) => html`<tr data-player=${row}>
          <th scope="row" class="h2h-row">${label(row)}</th>
          ${ids.map((col, j) => this.#cell(row, col, cells[i][j]))}</tr>`)}</tbody></table></div>`}
    </section>`;
  }

  #cell(row, col, c) {
    if (row === col) return html`<td class="h2h-self" data-a=${row} data-b=${col}><span class="sr-only">itself</span></td>`;
    if (!c) return html`<td class="h2h-none" data-a=${row} data-b=${col}><span class="sr-only">never met</span></td>`;
    const pct = Math.round(c.score * 100);
    const title = `${this.names.text(row)} against ${this.names.text(col)}: ${pct} % — ${c.wins} W – ${c.draws} D – ${c.losses} L `
      + `in ${fmtInt(c.games)} game${c.games === 1 ? '' : 's'} of ${c.evaluations} evaluation${c.evaluations === 1 ? '' : 's'}`;
    return html`<td class="num h2h-cell" data-a=${row} data-b=${col} data-score=${c.score} data-wdl="${c.wins}-${c.draws}-${c.losses}"
        style="background:${scoreColor(c.score)}" title=${title}>
      <a href="/models/evaluations/${encodeURIComponent(c.latest)}" aria-label=${title}>${pct}%</a></td>`;
  }

  #form() {
    const errs = (field) => this.fieldErrors.filter((f) => f.field === field).map((f) => html`<span class="field-error">${f.message}</span>`);
    const session = this.sessions.find((s) => s.id === this.formSession);
    return html`<section class="panel" aria-labelledby="ev-h">
      <h2 id="ev-h">Evaluate</h2>
      <form data-testid="evaluate-form" @submit=${(e) => this.#submit(e)} novalidate>
        <div class="field"><label for="ev-session">Models of</label>
          <select id="ev-session" @change=${(e) => this.#pickFormSession(e.target.value)}>
            <option value="" ?selected=${!this.formSession}>no session (fixed players only)</option>
            ${this.sessions.map((s) => html`<option value=${s.id} ?selected=${s.id === this.formSession}>${s.name}</option>`)}
          </select>
          <span class="desc">${session ? `Filed under ${session.name}: its ratings include it.` : 'Filed under no session.'}</span></div>
        ${this.#playerField('ev-a', 'Player A', 'playerA', 'Has black in the even games')}
        ${errs('playerA')}
        ${this.#playerField('ev-b', 'Player B', 'playerB', 'Has black in the odd games')}
        ${errs('playerB')}
        <div class="field"><label for="ev-games">Games</label>
          <input id="ev-games" type="number" min="1" max="2000" step="1" .value=${String(this.games)}
            aria-invalid=${this.fieldErrors.some((f) => f.field === 'games') ? 'true' : 'false'}
            @input=${(e) => { this.games = e.target.value; }}>
          <span class="desc">1 to 2,000; colours alternate.</span>${errs('games')}</div>
        ${this.formError ? html`<div class="notice error" role="alert" style="margin-bottom:.6rem">${this.formError}</div>` : nothing}
        <div class="row"><button class="primary" type="submit" data-action="evaluate" ?disabled=${this.submitting}>
          ${this.submitting ? 'Filing…' : 'Evaluate'}</button></div>
      </form>
      ${this.filed ? html`<div class="notice" role="status" data-testid="filed" style="margin-top:.8rem">
        <div class="row">${stateBadge(this.filed.state)}<span>${this.names.text(this.filed.playerA)} vs ${this.names.text(this.filed.playerB)},
          ${fmtInt(this.filed.games)} games</span></div>
        <div class="small" style="margin-top:.3rem">${progressOf(this.filed)}</div>
        <a class="small" href="/models/evaluations/${encodeURIComponent(this.filed.id)}">Open the evaluation →</a></div>` : nothing}
    </section>`;
  }

  #playerField(id, label, prop, desc) {
    const value = this[prop];
    const models = this.formModels;
    const session = this.sessions.find((s) => s.id === this.formSession);
    // A chosen model of another session stays selectable.
    const orphan = value && !isFixed(value) && !models.some((m) => m.id === value);
    return html`<div class="field"><label for=${id}>${label}</label>
      <select id=${id} aria-invalid=${this.fieldErrors.some((f) => f.field === prop) ? 'true' : 'false'}
        @change=${(e) => { this[prop] = e.target.value; }}>
        ${models.length ? html`<optgroup label="Models of ${session?.name || 'the session'}">
          ${models.map((m) => html`<option value=${m.id} ?selected=${m.id === value}>step ${fmtInt(m.step)} · ${m.id}</option>`)}</optgroup>` : nothing}
        ${orphan ? html`<option value=${value} selected>${this.names.text(value)}</option>` : nothing}
        <optgroup label="Fixed players">
          ${FIXED_PLAYERS.map((p) => html`<option value=${p} ?selected=${p === value} title=${fixedTitle(p)}>${p}</option>`)}</optgroup>
      </select><span class="desc">${desc}</span></div>`;
  }

  async #submit(e) {
    e.preventDefault();
    this.formError = '';
    this.fieldErrors = [];
    const games = Number(this.games);
    if (!Number.isInteger(games) || games < 1 || games > 2000) {
      this.fieldErrors = [{field: 'games', message: 'a whole number from 1 to 2,000'}];
      return;
    }
    if (this.playerA === this.playerB) {
      this.fieldErrors = [{field: 'playerB', message: 'must differ from player A'}];
      return;
    }
    this.submitting = true;
    try {
      const body = {playerA: this.playerA, playerB: this.playerB, games};
      if (this.formSession) body.session = this.formSession;
      const filed = await api('/evaluations', {method: 'POST', body});
      this.filed = filed;
      this.evaluations = [filed, ...(this.evaluations || []).filter((x) => x.id !== filed.id)];
      toast(`Evaluation ${filed.state}: ${this.names.text(filed.playerA)} vs ${this.names.text(filed.playerB)}, ${fmtInt(filed.games)} games`,
        {kind: 'ok'});
      this.#schedule();
    } catch (err) {
      this.formError = err.message;
      this.fieldErrors = err.fieldErrors.map((f) => ({field: String(f.field || '').replace(/^.*\./, ''), message: f.message}));
    } finally {
      this.submitting = false;
    }
  }

  #recent() {
    const list = this.evaluations;
    const active = (list || []).some((e) => ACTIVE_EVALUATION.includes(e.state));
    return html`<section class="panel" aria-labelledby="ev-list-h" style="margin-top:1rem">
      <div class="row"><h2 id="ev-list-h" style="margin:0">Recent evaluations</h2>
        <span class="muted small" data-testid="refreshing">${active ? 'refreshing while any is queued or running' : ''}</span></div>
      ${list == null ? html`<div class="empty">Loading…</div>` : list.length === 0 ? html`<div class="empty">No evaluations yet.</div>` : html`
      <div class="table-wrap"><table data-testid="evaluations">
        <thead><tr><th scope="col">Player A</th><th scope="col">Player B</th><th scope="col" class="num">Games</th><th scope="col">State</th>
          <th scope="col" class="num" title="A wins – B wins – draws">Score <span class="muted">A–B–D</span></th><th scope="col">Progress</th>
          <th scope="col">Filed</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>${list.map((e) => html`<tr data-evaluation=${e.id} data-state=${e.state} ?data-new=${this.filed?.id === e.id}>
          <td>${this.names.cell(e.playerA)}</td><td>${this.names.cell(e.playerB)}</td>
          <td class="num">${fmtInt(e.games)}</td><td>${stateBadge(e.state)}</td>
          <td class="num" data-col="score" title="A wins – B wins – draws">${scoreText(e)}</td>
          <td class="progress-cell">${progressOf(e)}</td>
          <td title=${fmtTime(e.createdAt)}>${fmtAgo(e.createdAt)}</td>
          <td><div class="row">
            <a class="button small" href="/models/evaluations/${encodeURIComponent(e.id)}" data-action="games">Games</a>
            ${mayCancel(e) ? html`<button class="small danger" data-action="cancel" @click=${() => this.#cancel(e)}>Cancel</button>` : nothing}
          </div></td></tr>`)}</tbody></table></div>`}
    </section>`;
  }

  async #cancel(e) {
    if (!await confirmAction({title: 'Cancel this evaluation?', key: 'cancel-evaluation', confirmLabel: 'Cancel evaluation',
      body: `${this.names.text(e.playerA)} vs ${this.names.text(e.playerB)}: it stops and releases its resources; the games it finished are not kept.`})) return;
    try {
      const done = await api(`/evaluations/${encodeURIComponent(e.id)}/cancel`, {method: 'POST'});
      this.evaluations = (this.evaluations || []).map((x) => (x.id === done.id ? done : x));
      if (this.filed?.id === done.id) this.filed = done;
      toast('Evaluation cancelled');
    } catch (err) {
      toast(err.message, {kind: 'error'});
      this.#refresh();
    }
  }
}
customElements.define('leaderboard-page', LeaderboardPage);
