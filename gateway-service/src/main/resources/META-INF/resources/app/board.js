// <shogi-board>: an SVG board with kanji pieces, hands and the last move highlighted.
// <shogi-game>: the board plus the move list (Japanese and USI), following the live game or any earlier ply.
import {html, svg, nothing} from 'lit';
import {KElement} from './base.js';
import {parseSfen, pieceKanji, handKanji, pieceName, moveSquares, replay, HAND_ORDER, squareOf} from './shogi.js';

const S = 40;          // square size
const OX = 6;          // board origin
const OY = 22;
const RANKS = ['一', '二', '三', '四', '五', '六', '七', '八', '九'];

function piecePath(x, y) {
  return `M${x + S / 2},${y + 3} L${x + S - 7},${y + 9} L${x + S - 4},${y + S - 3} L${x + 4},${y + S - 3} L${x + 7},${y + 9} Z`;
}

export class ShogiBoard extends KElement {
  static properties = {sfen: {type: String}, lastMove: {type: String, attribute: 'last-move'}};

  render() {
    let pos;
    try {
      pos = parseSfen(this.sfen);
    } catch (e) {
      return html`<div class="notice error">Cannot draw position: ${e.message}</div>`;
    }
    const {from, to} = moveSquares(this.lastMove);
    const squares = [];
    for (let i = 0; i < 81; i++) {
      const x = OX + (i % 9) * S;
      const y = OY + Math.floor(i / 9) * S;
      if (i === to || i === from) {
        squares.push(svg`<rect x=${x} y=${y} width=${S} height=${S} fill="var(--highlight)" opacity=${i === to ? 0.75 : 0.35}
          class=${i === to ? 'last-to' : 'last-from'}></rect>`);
      }
    }
    const lines = [];
    for (let k = 0; k <= 9; k++) {
      lines.push(svg`<line x1=${OX} y1=${OY + k * S} x2=${OX + 9 * S} y2=${OY + k * S}></line>`);
      lines.push(svg`<line x1=${OX + k * S} y1=${OY} x2=${OX + k * S} y2=${OY + 9 * S}></line>`);
    }
    const stars = [3, 6].flatMap((a) => [3, 6].map((b) => svg`<circle cx=${OX + a * S} cy=${OY + b * S} r="3"></circle>`));
    const labels = [];
    for (let c = 0; c < 9; c++) {
      labels.push(svg`<text x=${OX + c * S + S / 2} y=${OY - 7} text-anchor="middle">${9 - c}</text>`);
      labels.push(svg`<text x=${OX + 9 * S + 13} y=${OY + c * S + S / 2 + 5} text-anchor="middle" class="jp">${RANKS[c]}</text>`);
    }
    const pieces = [];
    pos.board.forEach((p, i) => {
      if (!p) return;
      const x = OX + (i % 9) * S;
      const y = OY + Math.floor(i / 9) * S;
      const {file, rank} = squareOf(i);
      const rot = p.black ? '' : `rotate(180 ${x + S / 2} ${y + S / 2})`;
      pieces.push(svg`<g transform=${rot} class="piece" data-square=${`${file}${rank}`}>
        <title>${pieceName(p)} on ${file}${String.fromCharCode(96 + rank)}</title>
        <path d=${piecePath(x, y)} fill="var(--piece)" stroke="var(--piece-edge)" stroke-width="1"></path>
        <text x=${x + S / 2} y=${y + S / 2 + 9} text-anchor="middle" font-size="22" class="jp"
          fill=${p.promoted ? 'var(--promoted-fg)' : 'var(--piece-fg)'}>${pieceKanji(p)}</text></g>`);
    });
    const side = pos.side === 'b' ? 'Black (sente ☗) to move' : 'White (gote ☖) to move';
    return html`
      <div class="board-wrap">
        ${this.#hand(pos, 'w')}
        <svg class="board-svg" viewBox="0 0 ${OX + 9 * S + 26} ${OY + 9 * S + 8}" role="img"
             aria-label="Shogi board. ${side}. Last move ${this.lastMove || 'none'}.">
          <rect x=${OX} y=${OY} width=${9 * S} height=${9 * S} fill="var(--board)"></rect>
          ${squares}
          <g stroke="var(--board-line)" stroke-width="1">${lines}</g>
          <g fill="var(--board-line)">${stars}</g>
          <g fill="var(--muted)" font-size="12">${labels}</g>
          ${pieces}
        </svg>
        ${this.#hand(pos, 'b')}
      </div>`;
  }

  #hand(pos, color) {
    const items = HAND_ORDER.filter((t) => pos.hands[color][t] > 0);
    const who = color === 'b' ? '☗ Black' : '☖ White';
    const text = items.map((t) => `${handKanji(t)}${pos.hands[color][t] > 1 ? pos.hands[color][t] : ''}`).join(' ');
    return html`<div class="hand" data-hand=${color} aria-label="${who} in hand: ${text || 'nothing'}">
      <span class="who">${who}</span>
      ${items.length === 0 ? html`<span class="muted small">—</span>` : items.map((t) => html`<span class="hp">${handKanji(t)}${
        pos.hands[color][t] > 1 ? html`<sub>${pos.hands[color][t]}</sub>` : nothing}</span>`)}
    </div>`;
  }
}
customElements.define('shogi-board', ShogiBoard);

export class ShogiGame extends KElement {
  static properties = {game: {attribute: false}, selected: {state: true}};

  constructor() {
    super();
    this.game = null;
    /** null = follow the live game; else the ply shown */
    this.selected = null;
    this._replayKey = '';
    this._replay = null;
  }

  willUpdate(changed) {
    if (changed.has('game') && this.game) {
      const moves = this.game.moves || [];
      const key = `${this.game.gameId}:${moves.length}`;
      if (key !== this._replayKey) {
        this._replayKey = key;
        this._replay = replay(moves);
      }
      const prev = changed.get('game');
      if (prev && prev.gameId !== this.game.gameId) this.selected = null;
    }
  }

  updated() {
    if (this.selected == null) {
      const list = this.querySelector('.moves');
      if (list) list.scrollTop = list.scrollHeight;
    } else {
      this.querySelector('.moves li.current')?.scrollIntoView({block: 'nearest'});
    }
  }

  render() {
    const g = this.game;
    if (!g) return html`<div class="empty">No game yet: the board appears when the trainer plays.</div>`;
    const moves = g.moves || [];
    const r = this._replay || {positions: [], notation: []};
    const following = this.selected == null;
    const ply = following ? g.ply : this.selected;
    let sfen = g.sfen;
    let last = g.lastMove;
    if (!following && r.positions[ply]) {
      sfen = toSfen(r.positions[ply]);
      last = ply > 0 ? moves[ply - 1] : null;
    }
    const result = g.result ? g.result.replace('_', ' ').replace(':', ' by ') : null;
    return html`
      <div class="row small" style="min-height:1.8rem">
        <span class="game-id">Game <code data-testid="game-id" title=${String(g.gameId)}>${String(g.gameId)}</code></span>
        <span class="muted">ply <strong data-testid="ply">${ply}</strong>${following ? '' : ` of ${g.ply}`}</span>
        ${result ? html`<span class="badge state-completed">${result}</span>` : html`<span class="muted">${g.sideToMove} to move</span>`}
        <span style="flex:1"></span>
        <button class="small" ?disabled=${following} @click=${() => { this.selected = null; }}
          aria-label="Follow the live game">Live</button>
      </div>
      <shogi-board .sfen=${sfen} .lastMove=${last || ''} data-ply=${ply}></shogi-board>
      <div class="moves" tabindex="0" role="listbox" aria-label="Moves, Japanese and USI notation; arrow keys step through them"
           @keydown=${(e) => this.#key(e, moves.length)}>
        <ol>
          ${moves.map((m, i) => html`<li role="option" aria-selected=${i + 1 === ply ? 'true' : 'false'}
              class=${i + 1 === ply ? 'current' : ''} @click=${() => { this.selected = i + 1 === g.ply ? null : i + 1; }}>
            <span class="n">${i + 1}</span><span class="jp">${r.notation[i] || ''}</span><span class="usi">${m}</span></li>`)}
        </ol>
      </div>`;
  }

  #key(e, n) {
    const cur = this.selected ?? n;
    let next = null;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = Math.max(0, cur - 1);
    else if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = Math.min(n, cur + 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = n;
    if (next == null) return;
    e.preventDefault();
    this.selected = next >= n ? null : next;
  }
}
customElements.define('shogi-game', ShogiGame);

/** SFEN of a replayed position (for showing earlier plies). */
export function toSfen(pos) {
  const rows = [];
  for (let r = 0; r < 9; r++) {
    let row = '';
    let empty = 0;
    for (let c = 0; c < 9; c++) {
      const p = pos.board[r * 9 + c];
      if (!p) { empty++; continue; }
      if (empty) { row += empty; empty = 0; }
      const ch = p.black ? p.type : p.type.toLowerCase();
      row += (p.promoted ? '+' : '') + ch;
    }
    if (empty) row += empty;
    rows.push(row);
  }
  let hand = '';
  for (const color of ['b', 'w']) {
    for (const t of HAND_ORDER) {
      const n = pos.hands[color][t];
      if (n > 0) hand += (n > 1 ? n : '') + (color === 'b' ? t : t.toLowerCase());
    }
  }
  return `${rows.join('/')} ${pos.side} ${hand || '-'} ${pos.moveNumber}`;
}
