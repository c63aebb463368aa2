// One evaluation: its state and score, its games (read again while it is queued or running), and a viewer that
// replays a game ply by ply on the board: ←/→ and Home/End, a slider, a move list to click, and downloads of the
// game as KIF, CSA and USI. The game and ply shown are in the URL: ?game=2&ply=31
// Live (the hub's evaluation:<id> topic): its state, score and queue reason as its events tell them, and while it runs
// the game it is playing (published by the trainer for an evaluation filed under a session). Without the hub, it is
// read again every two seconds while queued or running.
import {html, nothing} from 'lit';
import {KElement, markRendered} from '../base.js';
import {api} from '../api.js';
import {live} from '../live.js';
import {setQuery} from '../nav.js';
import {stateBadge, toast, confirmAction} from '../widgets.js';
import {fmtInt, fmtTime} from '../format.js';
import {replay, START_SFEN} from '../shogi.js';
import {toSfen} from '../board.js';
import {toKif, toCsa, toUsi, downloadText} from '../kifu.js';
import {ACTIVE_EVALUATION, PlayerNames, progressOf, scoreText, mayCancel, resultText, reasonText} from '../evaluations.js';

const POLL_MS = 2000;
/** With the live hub open its events say when to read again; a slow read covers a lost one. */
const POLL_LIVE_MS = 15000;

class EvaluationPage extends KElement {
  static properties = {
    evaluationId: {attribute: false}, query: {attribute: false},
    evaluation: {state: true}, games: {state: true}, error: {state: true}, selected: {state: true}, ply: {state: true},
    names: {state: true}, liveGame: {state: true},
  };

  constructor() {
    super();
    this.evaluation = null;
    this.games = null;
    this.error = '';
    /** The index of the game in the viewer, or null. */
    this.selected = null;
    this.ply = 0;
    this.names = new PlayerNames();
    this._replay = null;
    this._replayOf = null;
    this._timer = 0;
    /** The game the match is playing now (game_state from the hub), while it runs. */
    this.liveGame = null;
    this._unsub = null;
    this._onKey = (e) => this.#key(e);
  }

  connectedCallback() {
    super.connectedCallback();
    addEventListener('keydown', this._onKey);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    removeEventListener('keydown', this._onKey);
    clearTimeout(this._timer);
    this._timer = 0;
    this._unsub?.();
    this._unsub = null;
  }

  willUpdate(changed) {
    if (changed.has('evaluationId') && this.evaluationId) {
      clearTimeout(this._timer);
      this.evaluation = null;
      this.games = null;
      this.error = '';
      const g = this.query?.get('game');
      this.selected = g != null && g !== '' && Number.isInteger(Number(g)) ? Number(g) : null;
      const p = Number(this.query?.get('ply'));
      this._wantPly = Number.isInteger(p) && p >= 0 ? p : null;
      this.liveGame = null;
      this._unsub?.();
      const id = this.evaluationId;
      this._unsub = live.subscribe(`evaluation:${id}`, (m) => { if (id === this.evaluationId) this.#onLive(m); });
      this.#load();
    }
  }

  /** The hub's messages of this evaluation: its events, its allocation's, and the game it is playing. */
  #onLive(m) {
    const d = m.data || {};
    switch (m.type) {
      case 'evaluation_event': {
        const info = d.evaluation;
        if (!info || info.id !== this.evaluationId || !this.evaluation) return;
        if (d.type === 'checkpoint.promoted') {
          const who = info.gate ? this.names.text(info.gate) : `The model of step ${fmtInt(d.checkpoint?.step)}`;
          toast(`${who} is now its session’s best model${d.reason ? `: ${d.reason}` : ''}`, {kind: 'ok'});
          return;
        }
        const changed = info.state !== this.evaluation.state;
        this.evaluation = {...this.evaluation, state: info.state, aWins: info.aWins, bWins: info.bWins, draws: info.draws,
          stateReason: d.reason ?? (changed ? null : this.evaluation.stateReason)};
        // Ended: the record has its finish time, and the games are kept now.
        if (changed && !ACTIVE_EVALUATION.includes(info.state)) this.#reread();
        this.#schedule();
        return;
      }
      case 'allocation_event':
        // While it waits, the queue's reason for it.
        if (this.evaluation?.state === 'queued' && d.type === 'allocation.queued') this.evaluation = {...this.evaluation, stateReason: d.reason ?? null};
        return;
      case 'game_state':
        if (ACTIVE_EVALUATION.includes(this.evaluation?.state ?? 'running')) this.liveGame = d;
        return;
      case 'resync':
        this.#reread();
        return;
      default:
    }
  }

  /** The record again (and its games once it completed). */
  async #reread() {
    const id = this.evaluationId;
    try {
      const e = await api(this.#path);
      if (id !== this.evaluationId) return;
      this.evaluation = e;
      if (!ACTIVE_EVALUATION.includes(e.state)) {
        this.liveGame = null;
        await this.#loadGames();
      }
    } catch { /* the next event or tick reads it */ }
    this.#schedule();
  }

  /** The replay of the game in the viewer ({positions, notation}), made once per game; null without one. */
  get #replay() {
    const game = this.#game();
    if (!game) return null;
    if (this._replayOf !== game) {
      this._replayOf = game;
      this._replay = replay(game.moves, game.startSfen || START_SFEN);
    }
    return this._replay;
  }

  get #path() {
    return `/evaluations/${encodeURIComponent(this.evaluationId)}`;
  }

  async #load() {
    const id = this.evaluationId;
    try {
      const e = await api(this.#path);
      if (id !== this.evaluationId) return;
      this.evaluation = e;
      this.error = '';
      this.#loadNames(e);
      await this.#loadGames();
    } catch (err) {
      if (id !== this.evaluationId) return;
      this.error = err.status === 404 ? `There is no evaluation ${this.evaluationId}.` : err.message;
      return;
    }
    this.#schedule();
  }

  /** The players' names: the models of the evaluation's session (or the newest of all) and the sessions' names. */
  async #loadNames(e) {
    const q = e.session ? `session=${encodeURIComponent(e.session)}&` : '';
    const [models, sessions] = await Promise.all([
      api(`/models?${q}size=200`).catch(() => ({items: []})),
      api('/sessions?size=200').catch(() => ({items: []})),
    ]);
    const names = new PlayerNames().addSessions(sessions.items).addModels(models.items);
    // A model of another session: its own record.
    await Promise.all([e.playerA, e.playerB].filter((p) => !names.models.has(p) && !/^(random|baseline:)/.test(p))
      .map((p) => api(`/models/${encodeURIComponent(p)}`).then((m) => names.addModels([m])).catch(() => {})));
    this.names = names;
  }

  async #loadGames() {
    if (this.evaluation?.state !== 'completed') {
      this.games = [];
      return;
    }
    if (this.games?.length) return;
    this.games = await api(`${this.#path}/games`);
    if (this.selected != null && !this.#game()) this.selected = null;
    if (this.selected != null) this.#setPly(this._wantPly ?? 0, false);
  }

  #schedule() {
    clearTimeout(this._timer);
    this._timer = 0;
    if (!this.isConnected || !ACTIVE_EVALUATION.includes(this.evaluation?.state)) return;
    this._timer = setTimeout(() => {
      if (document.hidden) this.#schedule();
      else this.#reread();
    }, live.state === 'open' ? POLL_LIVE_MS : POLL_MS);
  }

  #game() {
    return this.selected == null ? null : (this.games || []).find((g) => g.index === this.selected) || null;
  }

  /** The plies the viewer can show: the moves that replay (all of them, for a game of the rules engine). */
  get #last() {
    const r = this.#replay;
    return r ? r.positions.length - 1 : 0;
  }

  #open(index) {
    this.selected = index;
    this.ply = 0;
    this.#remember();
    this.updateComplete.then(() => {
      const viewer = this.querySelector('[data-testid=game-viewer]');
      viewer?.scrollIntoView({block: 'nearest'});
      viewer?.focus({preventScroll: true});
    });
  }

  #close() {
    this.selected = null;
    this.#remember();
  }

  #setPly(ply, remember = true) {
    this.ply = Math.max(0, Math.min(this.#last, Number(ply) || 0));
    if (remember) this.#remember();
  }

  #remember() {
    setQuery(this.selected == null ? {} : {game: this.selected, ply: this.ply || ''});
  }

  /** ←/→ a ply, Home/End the start and the end; not while typing in a field or over a dialog. */
  #key(e) {
    if (this.selected == null || !this.#replay || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
    const t = e.target;
    if (t instanceof HTMLElement && (t.closest('input, select, textarea, [contenteditable=""], [contenteditable="true"]') || t.closest('dialog'))) return;
    let next = null;
    if (e.key === 'ArrowLeft') next = this.ply - 1;
    else if (e.key === 'ArrowRight') next = this.ply + 1;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = this.#last;
    if (next == null) return;
    e.preventDefault();
    this.#setPly(next);
  }

  updated(changed) {
    if (changed.has('ply') || changed.has('selected')) {
      const current = this.querySelector('.viewer .moves li.current');
      const list = this.querySelector('.viewer .moves');
      if (current && list) {
        // Scrolls the list only, never the page.
        const top = current.offsetTop - list.offsetTop;
        if (top < list.scrollTop) list.scrollTop = top;
        else if (top + current.offsetHeight > list.scrollTop + list.clientHeight) list.scrollTop = top + current.offsetHeight - list.clientHeight;
      }
    }
    if (!this._marked && this.games != null) {
      this._marked = true;
      markRendered('evaluation');
    }
  }

  render() {
    if (this.error) return html`<div class="notice error" role="alert">${this.error} <a href="/models/leaderboard">Back to the leaderboard</a></div>`;
    const e = this.evaluation;
    if (!e) return html`<div class="page-head"><h1>Evaluation</h1></div><div class="empty">Loading…</div>`;
    const n = this.names;
    return html`
      <div class="page-head">
        <h1>${n.text(e.playerA)} <span class="muted">vs</span> ${n.text(e.playerB)}</h1>
        <span data-testid="evaluation-state">${stateBadge(e.state)}</span>
        <span class="spacer"></span>
        ${mayCancel(e) ? html`<button class="small danger" data-action="cancel" @click=${() => this.#cancel(e)}>Cancel</button>` : nothing}
        <a class="small" href="/models/leaderboard${e.session ? `?session=${encodeURIComponent(e.session)}` : ''}">← Leaderboard</a>
      </div>
      <div class="grid cols-4">
        <div class="panel stat"><span class="label">Score A–B–D</span><span class="value" data-testid="score">${scoreText(e)}</span>
          <span class="muted small">A ${n.text(e.playerA)} · B ${n.text(e.playerB)}</span></div>
        <div class="panel stat"><span class="label">Games</span><span class="value">${fmtInt(e.games)}</span>
          <span class="muted small">colours alternate; A has black in the even games</span></div>
        <div class="panel stat"><span class="label">Progress</span><span class="small" data-testid="progress">${progressOf(e)}</span></div>
        <div class="panel stat"><span class="label">Filed</span><span class="small">${fmtTime(e.createdAt)} by ${e.owner}</span>
          <span class="muted small">${Number.isSafeInteger(e.seed) ? `seed ${e.seed} · ` : ''}priority ${e.priority}</span></div>
      </div>
      ${this.#liveGame(e)}
      ${this.#gameList(e)}
      ${this.#viewer()}`;
  }

  /** While it runs: the game being played now, as the trainer publishes it (throttled, the latest position wins). */
  #liveGame(e) {
    if (!ACTIVE_EVALUATION.includes(e.state)) return nothing;
    const g = this.liveGame;
    const index = g ? Number(String(g.gameId).split(':').pop()) : null;
    return html`<section class="panel eval-live" aria-labelledby="live-h" data-testid="live-game" style="margin-top:1rem">
      <div class="row"><h2 id="live-h" style="margin:0">Live game</h2>
        ${g && Number.isInteger(index) ? html`<span class="small" data-testid="live-game-index">game ${fmtInt(index + 1)} of ${fmtInt(e.games)}
          · ☗ ${this.names.text(index % 2 === 0 ? e.playerA : e.playerB)} vs ☖ ${this.names.text(index % 2 === 0 ? e.playerB : e.playerA)}</span>` : nothing}</div>
      ${g ? html`<shogi-game .game=${g}></shogi-game>` : html`<div class="empty small">${e.session
        ? (e.state === 'queued' ? 'The board appears when the match starts.' : 'The board appears with the next move the match plays.')
        : 'Filed under no session: its games are not published while it plays; they are kept when it ends.'}</div>`}
    </section>`;
  }

  #gameList(e) {
    const games = this.games;
    return html`<section class="panel" aria-labelledby="games-h" style="margin-top:1rem">
      <h2 id="games-h">Games</h2>
      ${games == null ? html`<div class="empty">Loading…</div>` : games.length === 0 ? html`<div class="empty" data-testid="no-games">${
        ACTIVE_EVALUATION.includes(e.state) ? 'The games are kept when the match ends; they appear here then.'
          : `No games were kept (${e.state}).`}</div>` : html`
      <div class="table-wrap"><table data-testid="games">
        <thead><tr><th scope="col" class="num">#</th><th scope="col">☗ Black</th><th scope="col">☖ White</th><th scope="col">Result</th>
          <th scope="col">Reason</th><th scope="col" class="num">Plies</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
        <tbody>${games.map((g) => html`<tr data-game=${g.index} data-result=${g.result} data-plies=${g.plies}
            aria-selected=${g.index === this.selected ? 'true' : 'false'}>
          <td class="num">${g.index + 1}</td><td>${this.#side(g.black, e)}</td><td>${this.#side(g.white, e)}</td>
          <td>${resultText(g, this.names)}</td><td>${reasonText(g.reason)}</td><td class="num">${fmtInt(g.plies)}</td>
          <td><button class="small" data-action="replay" @click=${() => this.#open(g.index)}
            aria-label="Replay game ${g.index + 1}">Replay</button></td></tr>`)}</tbody></table></div>`}
    </section>`;
  }

  /** A player of a game, with A or B. */
  #side(player, e) {
    const tag = player === e.playerA ? 'A' : player === e.playerB ? 'B' : '';
    return html`${this.names.cell(player)}${tag ? html` <span class="muted small">(${tag})</span>` : nothing}`;
  }

  #viewer() {
    const g = this.#game();
    const r = this.#replay;
    if (!g || !r) return nothing;
    const last = this.#last;
    const ply = this.ply;
    const moves = g.moves || [];
    const pos = r.positions[ply];
    return html`<section class="panel" data-testid="game-viewer" aria-labelledby="gv-h" tabindex="-1" style="margin-top:1rem"
        data-game=${g.index}>
      <div class="row">
        <h2 id="gv-h" style="margin:0">Game ${g.index + 1}</h2>
        <span class="small">☗ ${this.names.text(g.black)} vs ☖ ${this.names.text(g.white)}</span>
        <span class="badge state-completed">${resultText(g, this.names)}</span><span class="muted small">${reasonText(g.reason)}</span>
        <span style="flex:1"></span>
        <span class="row" role="group" aria-label="Download this game">
          <span class="muted small">Download</span>
          <button class="small" data-export="kif" @click=${() => this.#export('kif')} title="KIF (UTF-8, .kifu): Japanese notation">KIF</button>
          <button class="small" data-export="csa" @click=${() => this.#export('csa')} title="CSA V2.2">CSA</button>
          <button class="small" data-export="usi" @click=${() => this.#export('usi')} title="USI: position sfen … moves …">USI</button>
        </span>
        <button class="small" @click=${() => this.#close()}>Close</button>
      </div>
      ${last < moves.length ? html`<div class="notice warn small" role="alert">The moves stop replaying at ply ${last} of ${moves.length}.</div>` : nothing}
      <div class="viewer">
        <div>
          <shogi-board .sfen=${toSfen(pos)} .lastMove=${ply > 0 ? moves[ply - 1] : ''} data-ply=${ply}></shogi-board>
          <div class="row viewer-controls">
            <button class="small" data-step="first" ?disabled=${ply === 0} @click=${() => this.#setPly(0)} aria-label="Start position">«</button>
            <button class="small" data-step="prev" ?disabled=${ply === 0} @click=${() => this.#setPly(ply - 1)} aria-label="Previous ply">‹</button>
            <button class="small" data-step="next" ?disabled=${ply >= last} @click=${() => this.#setPly(ply + 1)} aria-label="Next ply">›</button>
            <button class="small" data-step="last" ?disabled=${ply >= last} @click=${() => this.#setPly(last)} aria-label="Last ply">»</button>
            <span class="small ply-count">ply <strong data-testid="ply">${ply}</strong> of <span data-testid="plies">${last}</span></span>
            <input type="range" id="gv-ply" min="0" max=${last} .value=${String(ply)} aria-label="Ply"
              @input=${(ev) => this.#setPly(ev.target.value)}>
          </div>
          <p class="muted small" style="margin:.3rem 0 0">← → step through the game, Home and End jump to its start and end; click a move to go to it.</p>
        </div>
        <div class="moves" role="listbox" aria-label="Moves, Japanese and USI notation">
          <ol>
            <li role="option" data-ply="0" aria-selected=${ply === 0 ? 'true' : 'false'} class=${ply === 0 ? 'current' : ''}
              @click=${() => this.#setPly(0)}><span class="n">0</span><span>start</span></li>
            ${moves.slice(0, last).map((m, i) => html`<li role="option" data-ply=${i + 1} aria-selected=${i + 1 === ply ? 'true' : 'false'}
                class=${i + 1 === ply ? 'current' : ''} @click=${() => this.#setPly(i + 1)}>
              <span class="n">${i + 1}</span><span class="jp">${r.notation[i] || ''}</span><span class="usi">${m}</span></li>`)}
          </ol>
        </div>
      </div>
    </section>`;
  }

  #export(format) {
    const g = this.#game();
    const e = this.evaluation;
    if (!g || !e) return;
    const record = {...g, black: this.names.text(g.black), white: this.names.text(g.white),
      title: `Keisei evaluation ${e.id}, game ${g.index + 1}`};
    const base = `${e.id}-game${g.index + 1}`;
    try {
      if (format === 'kif') downloadText(toKif(record), `${base}.kifu`);
      else if (format === 'csa') downloadText(toCsa(record), `${base}.csa`);
      else downloadText(toUsi(record), `${base}.usi`);
    } catch (err) {
      toast(`Cannot export the game: ${err.message}`, {kind: 'error'});
    }
  }

  async #cancel(e) {
    if (!await confirmAction({title: 'Cancel this evaluation?', key: 'cancel-evaluation', confirmLabel: 'Cancel evaluation',
      body: `${this.names.text(e.playerA)} vs ${this.names.text(e.playerB)}: it stops and releases its resources; the games it finished are not kept.`})) return;
    try {
      this.evaluation = await api(`${this.#path}/cancel`, {method: 'POST'});
      this.games = [];
      toast('Evaluation cancelled');
    } catch (err) {
      toast(err.message, {kind: 'error'});
    }
  }
}
customElements.define('evaluation-page', EvaluationPage);
