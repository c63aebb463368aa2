// Shogi positions for display: SFEN parsing, applying USI moves, kanji and Japanese (KIF-style) notation.
// No legality checks: the trainer's rules engine is the authority; this only draws what it reports.

export const START_SFEN = 'lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - 1';

/** Hand order as Japanese boards show it (strongest first). */
export const HAND_ORDER = ['R', 'B', 'G', 'S', 'N', 'L', 'P'];

/** Single-character kanji drawn on pieces. Black's king is 玉, white's 王. */
const KANJI = {P: '歩', L: '香', N: '桂', S: '銀', G: '金', B: '角', R: '飛', K: '玉'};
const KANJI_PROMOTED = {P: 'と', L: '杏', N: '圭', S: '全', B: '馬', R: '龍'};
/** Piece names in move notation. */
const NAME = {P: '歩', L: '香', N: '桂', S: '銀', G: '金', B: '角', R: '飛', K: '玉'};
const NAME_PROMOTED = {P: 'と', L: '成香', N: '成桂', S: '成銀', B: '馬', R: '龍'};
const PROMOTABLE = new Set(['P', 'L', 'N', 'S', 'B', 'R']);
const FULL_DIGITS = ['', '１', '２', '３', '４', '５', '６', '７', '８', '９'];
const KANJI_DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const ENGLISH = {P: 'pawn', L: 'lance', N: 'knight', S: 'silver', G: 'gold', B: 'bishop', R: 'rook', K: 'king'};

/** Board index of a square: row 0 is rank 1 (a), column 0 is file 9. */
export function squareIndex(file, rank) {
  return (rank - 1) * 9 + (9 - file);
}

export function squareOf(index) {
  return {file: 9 - (index % 9), rank: Math.floor(index / 9) + 1};
}

/** Parses "7g" into a board index; -1 if malformed. */
export function parseSquare(s) {
  if (!s || s.length !== 2) return -1;
  const file = s.charCodeAt(0) - 48;
  const rank = s.charCodeAt(1) - 96;
  if (file < 1 || file > 9 || rank < 1 || rank > 9) return -1;
  return squareIndex(file, rank);
}

function emptyHands() {
  return {b: {R: 0, B: 0, G: 0, S: 0, N: 0, L: 0, P: 0}, w: {R: 0, B: 0, G: 0, S: 0, N: 0, L: 0, P: 0}};
}

/**
 * Parses an SFEN into {board: Array(81) of null | {type, black, promoted}, side: 'b'|'w', hands, moveNumber}.
 * Throws an Error for malformed input.
 */
export function parseSfen(sfen) {
  const parts = String(sfen || '').trim().split(/\s+/);
  if (parts.length < 3) throw new Error(`bad SFEN: ${sfen}`);
  const rows = parts[0].split('/');
  if (rows.length !== 9) throw new Error(`bad SFEN board: ${parts[0]}`);
  const board = new Array(81).fill(null);
  rows.forEach((row, r) => {
    let c = 0;
    let promoted = false;
    for (const ch of row) {
      if (ch >= '1' && ch <= '9') { c += ch.charCodeAt(0) - 48; continue; }
      if (ch === '+') { promoted = true; continue; }
      const type = ch.toUpperCase();
      if (!KANJI[type] || c > 8) throw new Error(`bad SFEN row: ${row}`);
      board[r * 9 + c] = {type, black: ch === type, promoted};
      promoted = false;
      c++;
    }
    if (c !== 9) throw new Error(`bad SFEN row: ${row}`);
  });
  const hands = emptyHands();
  if (parts[2] !== '-') {
    let n = 0;
    for (const ch of parts[2]) {
      if (ch >= '0' && ch <= '9') { n = n * 10 + (ch.charCodeAt(0) - 48); continue; }
      const type = ch.toUpperCase();
      if (!(type in hands.b)) throw new Error(`bad SFEN hand: ${parts[2]}`);
      hands[ch === type ? 'b' : 'w'][type] += n || 1;
      n = 0;
    }
  }
  return {board, side: parts[1] === 'w' ? 'w' : 'b', hands, moveNumber: Number(parts[3] || 1)};
}

/** Applies a USI move (7g7f, 8h2b+, P*5e) and answers the new position; the input is not changed. */
export function applyMove(pos, usi) {
  const board = pos.board.slice();
  const hands = {b: {...pos.hands.b}, w: {...pos.hands.w}};
  const mover = pos.side;
  const black = mover === 'b';
  if (usi[1] === '*') {
    const type = usi[0].toUpperCase();
    const to = parseSquare(usi.slice(2, 4));
    if (to < 0) throw new Error(`bad move ${usi}`);
    board[to] = {type, black, promoted: false};
    hands[mover][type] = Math.max(0, (hands[mover][type] || 0) - 1);
  } else {
    const from = parseSquare(usi.slice(0, 2));
    const to = parseSquare(usi.slice(2, 4));
    if (from < 0 || to < 0 || !board[from]) throw new Error(`bad move ${usi}`);
    const captured = board[to];
    if (captured && captured.type !== 'K') hands[mover][captured.type]++;
    const piece = board[from];
    board[to] = {type: piece.type, black: piece.black, promoted: piece.promoted || usi.endsWith('+')};
    board[from] = null;
  }
  return {board, side: black ? 'w' : 'b', hands, moveNumber: pos.moveNumber + 1};
}

/** The kanji drawn on a piece. */
export function pieceKanji(piece) {
  if (piece.promoted) return KANJI_PROMOTED[piece.type] || KANJI[piece.type];
  if (piece.type === 'K') return piece.black ? '玉' : '王';
  return KANJI[piece.type];
}

export function handKanji(type) {
  return KANJI[type];
}

export function pieceName(piece) {
  return `${piece.black ? 'black' : 'white'} ${piece.promoted ? 'promoted ' : ''}${ENGLISH[piece.type]}`;
}

function inZone(index, black) {
  const rank = Math.floor(index / 9) + 1;
  return black ? rank <= 3 : rank >= 7;
}

/**
 * Japanese notation of a USI move played from `pos`, KIF style: ▲７六歩(77), △同　角成(88), ▲５五角打.
 * `prevTo` is the destination of the previous move (for 同).
 */
export function japaneseMove(pos, usi, prevTo) {
  const mark = pos.side === 'b' ? '▲' : '△';
  const to = parseSquare(usi.slice(2, 4));
  const {file, rank} = squareOf(to);
  const dest = to === prevTo ? '同　' : FULL_DIGITS[file] + KANJI_DIGITS[rank];
  if (usi[1] === '*') return `${mark}${dest}${NAME[usi[0].toUpperCase()]}打`;
  const from = parseSquare(usi.slice(0, 2));
  const piece = pos.board[from];
  if (!piece) return `${mark}${dest}?`;
  let name = piece.promoted ? NAME_PROMOTED[piece.type] : NAME[piece.type];
  if (piece.type === 'K' && !piece.black) name = '王';
  let suffix = '';
  if (usi.endsWith('+')) suffix = '成';
  else if (!piece.promoted && PROMOTABLE.has(piece.type) && (inZone(from, piece.black) || inZone(to, piece.black))) suffix = '不成';
  const origin = `(${usi[0]}${usi.charCodeAt(1) - 96})`;
  return `${mark}${dest}${name}${suffix}${origin}`;
}

/**
 * Replays a game's USI moves from its start: answers {positions, notation} where positions[i] is the
 * position after i moves and notation[i] the Japanese notation of move i+1. Stops at the first move
 * that does not fit (a game that did not start from `startSfen`).
 */
export function replay(moves, startSfen = START_SFEN) {
  let pos = parseSfen(startSfen);
  const positions = [pos];
  const notation = [];
  let prevTo = -1;
  for (const usi of moves || []) {
    try {
      notation.push(japaneseMove(pos, usi, prevTo));
      pos = applyMove(pos, usi);
    } catch {
      notation.pop();
      break;
    }
    prevTo = parseSquare(usi.slice(2, 4));
    positions.push(pos);
  }
  return {positions, notation};
}

/** Board indices touched by a USI move: {from (-1 for drops), to}. */
export function moveSquares(usi) {
  if (!usi || usi.length < 4) return {from: -1, to: -1};
  return {from: usi[1] === '*' ? -1 : parseSquare(usi.slice(0, 2)), to: parseSquare(usi.slice(2, 4))};
}
