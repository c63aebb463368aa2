package io.keisei.trainer.match;

import io.keisei.trainer.learn.Rng;
import io.keisei.trainer.shogi.Game;
import io.keisei.trainer.shogi.GameResult;
import io.keisei.trainer.shogi.Mobility;
import io.keisei.trainer.shogi.Move;
import io.keisei.trainer.shogi.MoveList;
import io.keisei.trainer.shogi.Piece;
import io.keisei.trainer.shogi.Position;

/**
 * {@code baseline:D}: a small fixed-depth alpha-beta (negamax) search, {@code D} plies, as a
 * reference opponent that is reproducible and much stronger than random play.
 *
 * <ul>
 *   <li>Evaluation, from the side to move's point of view: material on the board (promoted pieces
 *       at their promoted value, kings not counted) and in hand (a little above the board value of
 *       the unpromoted piece, for the freedom of dropping it), plus {@value #MOBILITY_WEIGHT} per
 *       board move the side's pieces could make, minus the same for the opponent
 *       ({@link Mobility}).</li>
 *   <li>A side with no legal move is mated (scored so that a faster mate is preferred); at the
 *       horizon this is tested only when the side to move is in check. There is no quiescence
 *       search.</li>
 *   <li>Repetitions: inside the search a position that already occurred (in the game or on the
 *       search path, within the last {@value #REPETITION_WINDOW} plies, same side to move) scores as
 *       a draw, so the engine avoids repeating when it is ahead and seeks it when behind. A root move
 *       that would repeat a position of the game is scored by the game's own rules
 *       ({@link Game#resultAfter}): a sennichite draw, or a loss if it completes a perpetual check,
 *       which it therefore never plays while it has another move.</li>
 *   <li>Move ordering: captures first (most valuable victim, then least valuable attacker),
 *       then promotions, then the rest.</li>
 *   <li>Ties: the root moves are shuffled with the game's seeded generator before ordering, and the
 *       first best move found is played, so equally scored moves are picked at random, but the same
 *       seed gives the same game.</li>
 * </ul>
 */
final class BaselinePlayer implements Player {
    static final int MAX_DEPTH = 6;
    static final int MATE = 1_000_000;
    private static final int INF = 2 * MATE;
    static final int MOBILITY_WEIGHT = 2;
    /** How far back (plies) the search looks for a repeated position. */
    static final int REPETITION_WINDOW = 32;

    /** Board value by piece type (index: Piece type; king 0). */
    static final int[] VALUE = new int[15];
    /** Value of a piece in hand by type PAWN..GOLD. */
    static final int[] HAND_VALUE = new int[8];

    static {
        VALUE[Piece.PAWN] = 100;
        VALUE[Piece.LANCE] = 300;
        VALUE[Piece.KNIGHT] = 350;
        VALUE[Piece.SILVER] = 500;
        VALUE[Piece.GOLD] = 550;
        VALUE[Piece.BISHOP] = 800;
        VALUE[Piece.ROOK] = 950;
        VALUE[Piece.KING] = 0;
        VALUE[Piece.PRO_PAWN] = 550;
        VALUE[Piece.PRO_LANCE] = 550;
        VALUE[Piece.PRO_KNIGHT] = 550;
        VALUE[Piece.PRO_SILVER] = 550;
        VALUE[Piece.HORSE] = 1050;
        VALUE[Piece.DRAGON] = 1250;
        HAND_VALUE[Piece.PAWN] = 110;
        HAND_VALUE[Piece.LANCE] = 320;
        HAND_VALUE[Piece.KNIGHT] = 370;
        HAND_VALUE[Piece.SILVER] = 540;
        HAND_VALUE[Piece.GOLD] = 600;
        HAND_VALUE[Piece.BISHOP] = 880;
        HAND_VALUE[Piece.ROOK] = 1040;
    }

    private final int depth;
    private final MoveList[] lists;
    private final int[][] order;
    private Rng rng = new Rng(0);
    /** Hashes of the game's positions, then of the search path: path[base + ply]. */
    private long[] path = new long[1024];
    private int base;

    BaselinePlayer(int depth) {
        if (depth < 1 || depth > MAX_DEPTH) {
            throw new IllegalArgumentException("baseline depth must be 1.." + MAX_DEPTH + ", was " + depth);
        }
        this.depth = depth;
        this.lists = new MoveList[depth + 1];
        this.order = new int[depth + 1][];
        for (int i = 0; i <= depth; i++) {
            lists[i] = new MoveList();
            order[i] = new int[600];
        }
    }

    @Override
    public void newGame(long seed) {
        rng = new Rng(seed);
    }

    @Override
    public int move(Game game) {
        Position pos = game.position().copy();
        MoveList legal = game.legalMoves();
        int n = legal.size();
        int[] shuffled = legal.toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        base = game.moveCount();
        if (path.length < base + depth + 2) {
            path = new long[2 * (base + depth + 2)];
        }
        for (int i = 0; i <= base; i++) {
            path[i] = game.hashAt(i);
        }
        int us = pos.sideToMove();
        int[] moves = ordered(shuffled, n);
        int best = moves[0];
        int alpha = -INF;
        for (int i = 0; i < n; i++) {
            int m = moves[i];
            pos.play(m);
            int score;
            if (repeatsGamePosition(pos.hash())) {
                GameResult r = game.resultAfter(m);
                score = !r.isOver() ? -search(pos, depth - 1, -INF, -alpha, 1)
                        : r.winner() < 0 ? 0 : r.winner() == us ? MATE - 1 : -(MATE - 1);
            } else {
                score = -search(pos, depth - 1, -INF, -alpha, 1);
            }
            pos.undo();
            if (score > alpha) {
                alpha = score;
                best = m;
            }
        }
        return best;
    }

    /** Whether the position after a root move (hash {@code h}) occurred in the game with the same side to move. */
    private boolean repeatsGamePosition(long h) {
        for (int i = base - 1; i >= 0; i -= 2) {
            if (path[i] == h) {
                return true;
            }
        }
        return false;
    }

    private int search(Position pos, int remaining, int alpha, int beta, int ply) {
        long h = pos.hash();
        int at = base + ply;
        path[at] = h;
        for (int i = at - 2, stop = Math.max(0, at - REPETITION_WINDOW); i >= stop; i -= 2) {
            if (path[i] == h) {
                return 0;
            }
        }
        if (remaining == 0) {
            if (pos.isCheck() && !pos.hasLegalMove()) {
                return -(MATE - ply);
            }
            return evaluate(pos);
        }
        MoveList list = lists[ply];
        pos.legalMoves(list);
        int n = list.size();
        if (n == 0) {
            return -(MATE - ply);
        }
        int[] moves = ordered(list, n, ply);
        for (int i = 0; i < n; i++) {
            pos.play(moves[i]);
            int score = -search(pos, remaining - 1, -beta, -alpha, ply + 1);
            pos.undo();
            if (score >= beta) {
                return score;
            }
            if (score > alpha) {
                alpha = score;
            }
        }
        return alpha;
    }

    /** Material and mobility of the side to move minus the opponent's. */
    static int evaluate(Position pos) {
        int us = pos.sideToMove();
        int them = us ^ 1;
        int score = 0;
        for (int sq = 0; sq < 81; sq++) {
            int p = pos.pieceAt(sq);
            if (p != 0) {
                int v = VALUE[Piece.type(p)];
                score += Piece.color(p) == us ? v : -v;
            }
        }
        for (int t = Piece.PAWN; t <= Piece.GOLD; t++) {
            score += (pos.handCount(us, t) - pos.handCount(them, t)) * HAND_VALUE[t];
        }
        return score + MOBILITY_WEIGHT * (Mobility.of(pos, us) - Mobility.of(pos, them));
    }

    /** The moves of {@code list} in search order, in this ply's buffer. */
    private int[] ordered(MoveList list, int n, int ply) {
        if (order[ply].length < n) {
            order[ply] = new int[Math.max(n, 2 * order[ply].length)];
        }
        int[] out = order[ply];
        int k = 0;
        for (int i = 0; i < n; i++) {
            int m = list.get(i);
            if (Move.isCapture(m)) {
                k = insertCapture(out, k, m);
            }
        }
        for (int i = 0; i < n; i++) {
            int m = list.get(i);
            if (!Move.isCapture(m) && Move.isPromotion(m)) {
                out[k++] = m;
            }
        }
        for (int i = 0; i < n; i++) {
            int m = list.get(i);
            if (!Move.isCapture(m) && !Move.isPromotion(m)) {
                out[k++] = m;
            }
        }
        return out;
    }

    /**
     * {@code moves[0..n)} in search order: captures by descending {@link #captureKey}, then
     * non-capturing promotions, then the rest, each group in its given order (so that the root's
     * shuffle decides between equals).
     */
    static int[] ordered(int[] moves, int n) {
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (Move.isCapture(moves[i])) {
                k = insertCapture(out, k, moves[i]);
            }
        }
        for (int i = 0; i < n; i++) {
            int m = moves[i];
            if (!Move.isCapture(m) && Move.isPromotion(m)) {
                out[k++] = m;
            }
        }
        for (int i = 0; i < n; i++) {
            int m = moves[i];
            if (!Move.isCapture(m) && !Move.isPromotion(m)) {
                out[k++] = m;
            }
        }
        return out;
    }

    /** Inserts a capture into the sorted prefix {@code out[0..k)} after its equals; returns k + 1. */
    private static int insertCapture(int[] out, int k, int m) {
        int key = captureKey(m);
        int j = k;
        while (j > 0 && captureKey(out[j - 1]) < key) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = m;
        return k + 1;
    }

    /** Most valuable victim first, then least valuable attacker. */
    private static int captureKey(int move) {
        return VALUE[Piece.type(Move.captured(move))] * 2048 - VALUE[Piece.type(Move.piece(move))];
    }
}
