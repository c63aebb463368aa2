// Evaluations and ratings (the Leaderboard page, the game viewer, the session page's rating chart): players' names,
// an evaluation's progress in words, who may cancel one.
import {html, nothing} from 'lit';
import {auth, can} from './api.js';
import {fmtInt, fmtAgo, fmtDuration, shortId} from './format.js';
import {progressBar} from './widgets.js';

/** The fixed players: the random player (the ratings' anchor at 0) and the alpha-beta baselines by depth. */
export const FIXED_PLAYERS = ['random', 'baseline:1', 'baseline:2', 'baseline:3', 'baseline:4'];
/** An evaluation in these states is still going: the pages read it again until it is not. */
export const ACTIVE_EVALUATION = ['queued', 'running'];

export function isFixed(player) {
  return player === 'random' || String(player).startsWith('baseline:');
}

/** What a fixed player is, for titles. */
export function fixedTitle(player) {
  if (player === 'random') return 'Plays a random legal move: the ratings\u2019 anchor at 0';
  const depth = String(player).split(':')[1];
  return `Alpha-beta search ${depth} ${depth === '1' ? 'ply' : 'plies'} deep (material and mobility)`;
}

/**
 * Everything known about the players on a page: models (id → {session, step}) and session names (id → name),
 * from the registry, the sessions list and ratings (which carry a model's session and step).
 */
export class PlayerNames {
  constructor() {
    this.models = new Map();
    this.sessions = new Map();
  }

  addModels(models) {
    for (const m of models || []) this.models.set(m.id, {session: m.session, step: m.step});
    return this;
  }

  addSessions(sessions) {
    for (const s of sessions || []) this.sessions.set(s.id, s.name);
    return this;
  }

  addRatings(ratings) {
    for (const r of ratings || []) {
      if (!isFixed(r.player) && r.step != null && !this.models.has(r.player)) this.models.set(r.player, {session: r.session, step: r.step});
    }
    return this;
  }

  /** A player in words: "random", "baseline:2", or a model as "<session name> · step 1,024" (its id when unknown). */
  text(player) {
    if (isFixed(player)) return player;
    const m = this.models.get(player);
    if (!m) return shortId(player);
    const name = this.sessions.get(m.session);
    return `${name || shortId(m.session)} · step ${fmtInt(m.step)}`;
  }

  /** A player for a table cell: a model links to its details on the Models page; fixed players say what they are. */
  cell(player, {link = true} = {}) {
    if (isFixed(player)) return html`<span class="player fixed" title=${fixedTitle(player)}>${player}</span>`;
    const m = this.models.get(player);
    const label = this.text(player);
    if (!m || !link) return html`<span class="player" title=${player}>${label}</span>`;
    return html`<a class="player" href="/models?session=${encodeURIComponent(m.session)}&model=${encodeURIComponent(player)}"
      title="Model ${player}">${label}</a>`;
  }
}

/** Games played so far. */
export function played(e) {
  return (e.aWins || 0) + (e.bWins || 0) + (e.draws || 0);
}

/** The score as "A wins–B wins–draws". */
export function scoreText(e) {
  return `${e.aWins || 0}–${e.bWins || 0}–${e.draws || 0}`;
}

/** Where an evaluation stands, in words (and a bar while it has played some of its games). */
export function progressOf(e) {
  const n = played(e);
  switch (e.state) {
    case 'queued':
      return html`<span class="reason">waiting for resources${e.stateReason ? `: ${e.stateReason}` : ''}</span>`;
    case 'running':
      return html`<span class="reason">playing ${fmtInt(e.games)} game${e.games === 1 ? '' : 's'}${n ? `, ${fmtInt(n)} done` : ''}${
        e.startedAt ? ` · started ${fmtAgo(e.startedAt)}` : ''}</span>${n ? progressBar(n / e.games, 'Games played') : nothing}`;
    case 'completed': {
      const secs = e.startedAt && e.finishedAt ? (Date.parse(e.finishedAt) - Date.parse(e.startedAt)) / 1000 : null;
      return html`<span class="reason">${fmtInt(n || e.games)} game${(n || e.games) === 1 ? '' : 's'} played${secs != null ? ` in ${fmtDuration(secs)}` : ''}</span>`;
    }
    case 'cancelled':
      return html`<span class="reason">cancelled${e.finishedAt ? ` ${fmtAgo(e.finishedAt)}` : ''}</span>`;
    case 'failed':
      return html`<span class="reason">${e.stateReason || 'failed'}</span>`;
    default:
      return html`<span class="reason">${e.stateReason || ''}</span>`;
  }
}

/** Whether the signed-in user may cancel it: models.evaluate, and its owner or an admin (the gateway decides). */
export function mayCancel(e) {
  return ACTIVE_EVALUATION.includes(e.state) && can('models.evaluate')
    && (auth.me?.role === 'admin' || e.owner === auth.me?.owner);
}

/** A game's result in words, with its winner's name: "☗ black wins", "draw". */
export function resultText(game, names) {
  if (game.result === 'black_win') return `☗ ${names ? names.text(game.black) : 'black'} wins`;
  if (game.result === 'white_win') return `☖ ${names ? names.text(game.white) : 'white'} wins`;
  return 'draw';
}

/** A reason as the trainer names it (max_moves), in words (max moves). */
export function reasonText(reason) {
  return String(reason || '').replace(/_/g, ' ');
}
