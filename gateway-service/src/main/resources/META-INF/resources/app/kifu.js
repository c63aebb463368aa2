// Game records for download: KIF (Japanese, as the built-in trainer's Kif.java writes it), CSA V2.2 and the USI
// "position" command, from a start position (SFEN) and the moves in USI. Positions come from shogi.js (parseSfen,
// applyMove: captures go to the capturer's hand, demoted); the moves are the rules engine's, so they are not checked.
import {parseSfen, applyMove, parseSquare, squareOf, START_SFEN, HAND_ORDER} from './shogi.js';

const FULL_DIGITS = '０１２３４５６７８９';
const KANJI_DIGITS = '〇一二三四五六七八九';
/** KIF names of unpromoted and promoted pieces (both kings are 玉, as Kif.java writes them). */
const KIF_NAME = {P: '歩', L: '香', N: '桂', S: '銀', G: '金', B: '角', R: '飛', K: '玉'};
const KIF_PROMOTED = {P: 'と', L: '成香', N: '成桂', S: '成銀', B: '馬', R: '龍'};
/** One character per piece in a KIF board diagram. */
const KIF_BOARD_PROMOTED = {P: 'と', L: '杏', N: '圭', S: '全', B: '馬', R: '龍'};
const CSA_NAME = {P: 'FU', L: 'KY', N: 'KE', S: 'GI', G: 'KI', B: 'KA', R: 'HI', K: 'OU'};
const CSA_PROMOTED = {P: 'TO', L: 'NY', N: 'NK', S: 'NG', B: 'UM', R: 'RY'};
const PROMOTABLE = new Set(['P', 'L', 'N', 'S', 'B', 'R']);

function inZone(index, black) {
  const rank = Math.floor(index / 9) + 1;
  return black ? rank <= 3 : rank >= 7;
}

/** Right-aligned move number column ("   1 "), as Kif.java writes it. */
function kifNumber(n) {
  return `${String(n).padStart(4)} `;
}

/** 2..18 in kanji (二, 十, 十八), for counts in hand. */
function kanjiNumber(n) {
  return n < 10 ? KANJI_DIGITS[n] : `十${n > 10 ? KANJI_DIGITS[n - 10] : ''}`;
}

/**
 * One move in KIF notation, played from `pos`: ７六歩(77), 同　角成(88), ５五角打, ２三銀不成(34).
 * `prevTo` is the previous move's destination (for 同).
 */
export function kifMove(pos, usi, prevTo) {
  const to = parseSquare(usi.slice(2, 4));
  if (to < 0) throw new Error(`bad move ${usi}`);
  const {file, rank} = squareOf(to);
  const dest = to === prevTo ? '同　' : FULL_DIGITS[file] + KANJI_DIGITS[rank];
  if (usi[1] === '*') return `${dest}${KIF_NAME[usi[0].toUpperCase()]}打`;
  const from = parseSquare(usi.slice(0, 2));
  const piece = from < 0 ? null : pos.board[from];
  if (!piece) throw new Error(`no piece for move ${usi}`);
  let text = dest + (piece.promoted ? KIF_PROMOTED[piece.type] : KIF_NAME[piece.type]);
  if (usi.endsWith('+')) text += '成';
  else if (!piece.promoted && PROMOTABLE.has(piece.type) && (inZone(from, piece.black) || inZone(to, piece.black))) text += '不成';
  return `${text}(${usi[0]}${usi.charCodeAt(1) - 96})`;
}

/** One move in CSA notation played from `pos`: +7776FU, -0055KA (a drop), +8822UM (the piece as it is after the move). */
export function csaMove(pos, usi) {
  const sign = pos.side === 'b' ? '+' : '-';
  const to = parseSquare(usi.slice(2, 4));
  if (to < 0) throw new Error(`bad move ${usi}`);
  const dest = `${usi[2]}${usi.charCodeAt(3) - 96}`;
  if (usi[1] === '*') return `${sign}00${dest}${CSA_NAME[usi[0].toUpperCase()]}`;
  const from = parseSquare(usi.slice(0, 2));
  const piece = from < 0 ? null : pos.board[from];
  if (!piece) throw new Error(`no piece for move ${usi}`);
  const promoted = piece.promoted || usi.endsWith('+');
  return `${sign}${usi[0]}${usi.charCodeAt(1) - 96}${dest}${promoted ? CSA_PROMOTED[piece.type] : CSA_NAME[piece.type]}`;
}

function startOf(game) {
  return game.startSfen || START_SFEN;
}

/** Plays a game's moves: calls `each(pos, usi, prevTo, i)` before each move is applied. */
function walk(game, each) {
  let pos = parseSfen(startOf(game));
  let prevTo = -1;
  (game.moves || []).forEach((usi, i) => {
    each(pos, usi, prevTo, i);
    pos = applyMove(pos, usi);
    prevTo = parseSquare(usi.slice(2, 4));
  });
  return pos;
}

function sameStart(sfen) {
  // The move number does not change the position.
  return sfen.trim().split(/\s+/).slice(0, 3).join(' ') === START_SFEN.split(' ').slice(0, 3).join(' ');
}

function kifHand(pos, color) {
  const parts = HAND_ORDER.filter((t) => pos.hands[color][t] > 0)
    .map((t) => KIF_NAME[t] + (pos.hands[color][t] > 1 ? kanjiNumber(pos.hands[color][t]) : ''));
  return parts.length ? parts.map((p) => `${p}　`).join('') : 'なし';
}

function kifDiagram(pos) {
  const lines = [`後手の持駒：${kifHand(pos, 'w')}`, '  ９ ８ ７ ６ ５ ４ ３ ２ １', '+---------------------------+'];
  for (let row = 0; row < 9; row++) {
    let line = '|';
    for (let col = 0; col < 9; col++) {
      const p = pos.board[row * 9 + col];
      line += !p ? ' ・' : (p.black ? ' ' : 'v') + (p.promoted ? KIF_BOARD_PROMOTED[p.type] : KIF_NAME[p.type]);
    }
    lines.push(`${line}|${KANJI_DIGITS[row + 1]}`);
  }
  lines.push('+---------------------------+', `先手の持駒：${kifHand(pos, 'b')}`);
  if (pos.side === 'w') lines.push('後手番');
  return lines;
}

/** The KIF ending lines of a game of `n` moves (result black_win | white_win | draw, reason as the trainer names it). */
function kifEnding(result, reason, n) {
  const winner = result === 'black_win' ? '先手' : '後手';
  const end = (word, summary) => [kifNumber(n + 1) + word, `まで${n}手で${summary}`];
  switch (reason) {
    case 'checkmate': case 'no_legal_moves': return end('詰み', `${winner}の勝ち`);
    case 'sennichite': return end('千日手', '千日手');
    case 'perpetual_check': return end('反則負け', `連続王手の千日手により${winner}の勝ち`);
    case 'max_moves': return end('持将棋', '持将棋');
    case 'impasse': return end('入玉勝ち', `入玉宣言により${winner}の勝ち`);
    case 'resign': case 'resignation': return end('投了', `${winner}の勝ち`);
    default: return end('中断', '中断');
  }
}

/**
 * A game as KIF (UTF-8; save it as .kifu): the header, 手合割：平手 or a board diagram for another start, one line per
 * move and the ending. `game`: {startSfen, moves, result, reason, black, white, title?}.
 */
export function toKif(game) {
  const start = parseSfen(startOf(game));
  const lines = ['#KIF version=2.0 encoding=UTF-8', '# Exported by Keisei Web UI'];
  if (game.title) lines.push(`棋戦：${game.title}`);
  if (sameStart(startOf(game))) lines.push('手合割：平手'); else lines.push(...kifDiagram(start));
  lines.push(`先手：${game.black ?? 'Black'}`, `後手：${game.white ?? 'White'}`, '手数----指手---------消費時間--');
  walk(game, (pos, usi, prevTo, i) => lines.push(kifNumber(i + 1) + kifMove(pos, usi, prevTo)));
  lines.push(...kifEnding(game.result, game.reason, (game.moves || []).length));
  return `${lines.join('\n')}\n`;
}

function csaBoard(pos) {
  const lines = [];
  for (let row = 0; row < 9; row++) {
    let line = `P${row + 1}`;
    for (let col = 0; col < 9; col++) {
      const p = pos.board[row * 9 + col];
      line += !p ? ' * ' : (p.black ? '+' : '-') + (p.promoted ? CSA_PROMOTED[p.type] : CSA_NAME[p.type]);
    }
    lines.push(line);
  }
  for (const [color, sign] of [['b', '+'], ['w', '-']]) {
    let line = `P${sign}`;
    for (const t of HAND_ORDER) line += `00${CSA_NAME[t]}`.repeat(pos.hands[color][t]);
    lines.push(line);
  }
  lines.push(pos.side === 'b' ? '+' : '-');
  return lines;
}

/** The CSA ending of a game (result black_win | white_win | draw, reason as the trainer names it). */
function csaEnding(result, reason) {
  switch (reason) {
    case 'checkmate': case 'no_legal_moves': return '%TSUMI';
    case 'sennichite': return '%SENNICHITE';
    // The side that kept checking loses: an illegal action of the loser.
    case 'perpetual_check': return `%${result === 'black_win' ? '-' : '+'}ILLEGAL_ACTION`;
    case 'max_moves': return '%MAX_MOVES';
    case 'impasse': return '%KACHI';
    case 'resign': case 'resignation': return '%TORYO';
    default: return '%CHUDAN';
  }
}

/** A game as CSA V2.2: names, the start position (P1..P9, hands, side to move), one line per move and the ending. */
export function toCsa(game) {
  const start = parseSfen(startOf(game));
  const lines = ['V2.2', `N+${game.black ?? 'Black'}`, `N-${game.white ?? 'White'}`, "'Exported by Keisei Web UI"];
  if (game.title) lines.push(`$EVENT:${game.title}`);
  lines.push(...csaBoard(start));
  walk(game, (pos, usi) => lines.push(csaMove(pos, usi)));
  lines.push(csaEnding(game.result, game.reason));
  return `${lines.join('\n')}\n`;
}

/** A game as the USI command that sets up its final position: position sfen <start> moves <m1> <m2> … */
export function toUsi(game) {
  const moves = game.moves || [];
  const sfen = startOf(game).trim().split(/\s+/).slice(0, 4).join(' ');
  return `position sfen ${sfen}${moves.length ? ` moves ${moves.join(' ')}` : ''}\n`;
}

/** Saves text as a file through the browser's download (no server round trip). */
export function downloadText(text, filename, type = 'text/plain') {
  const url = URL.createObjectURL(new Blob([text], {type: `${type};charset=utf-8`}));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
