package io.keisei.trainer.learn;

import io.keisei.trainer.shogi.ActionSpace;
import io.keisei.trainer.shogi.Move;
import io.keisei.trainer.shogi.MoveList;
import io.keisei.trainer.shogi.Piece;
import io.keisei.trainer.shogi.Position;

/**
 * The model's input: a sparse, compact form of Keisei's {@code core46} observation, from the point
 * of view of the side to move (White's board is rotated 180 degrees, own/opponent are relative).
 *
 * <pre>
 *    0 .. 2267  piece-square one-hots: ((own ? 0 : 14) + type - 1) * 81 + v(sq), value 1
 *               (types P L N S B R G K +P +L +N +S +B +R are 1..14, v(sq) as in ActionSpace)
 * 2268 .. 2274  own hand P L N S B R G: count / max (max 18 for P, 2 for B R, 4 otherwise)
 * 2275 .. 2281  opponent hand, same normalisation
 * 2282          1 if Black is to move
 * 2283          moves played / 512
 * </pre>
 * The 28 piece planes of core46 become the one-hots; its constant planes (hands, side, move count)
 * become one scalar each. A dense first layer over core46 whose weights are shared across the 81
 * squares of each constant plane is exactly a dense layer over this vector, which has at most
 * 40 + 16 non-zeros, so the first layer costs O(active features * width) instead of O(3726 * width).
 *
 * <p>Each legal move is also described by a packed <em>move code</em>: its {@link ActionSpace} index
 * (the row of the 13,527-row policy layer) plus three small "kind" indices used by the factorised
 * action embedding of {@link PolicyValueNet}: the moving piece (board moves: type - 1, 0..13; drops:
 * 14 + type - 1, 14..20), the captured piece type (0 = none, 1..14) and the promotion flag.
 */
public final class Features {
    public static final int PIECE_FEATURES = 28 * 81;
    public static final int HAND_BASE = PIECE_FEATURES;
    public static final int SIDE_FEATURE = HAND_BASE + 14;
    public static final int MOVE_COUNT_FEATURE = SIDE_FEATURE + 1;
    public static final int COUNT = MOVE_COUNT_FEATURE + 1;
    /** Most non-zero features of one position: 40 pieces, 14 hand counts, side, move count. */
    public static final int MAX_ACTIVE = 40 + 14 + 2;

    public static final int MOVED_KINDS = 21;
    public static final int CAPTURED_KINDS = 15;
    public static final int PROMO_KINDS = 2;

    private static final float[] HAND_MAX = new float[8];

    static {
        HAND_MAX[Piece.PAWN] = 18;
        HAND_MAX[Piece.LANCE] = 4;
        HAND_MAX[Piece.KNIGHT] = 4;
        HAND_MAX[Piece.SILVER] = 4;
        HAND_MAX[Piece.GOLD] = 4;
        HAND_MAX[Piece.BISHOP] = 2;
        HAND_MAX[Piece.ROOK] = 2;
    }

    private Features() {
    }

    /**
     * Writes the active features of {@code pos} into {@code idx/val} starting at {@code off}; returns
     * how many were written (at most {@link #MAX_ACTIVE}).
     */
    public static int encode(Position pos, int[] idx, float[] val, int off) {
        int me = pos.sideToMove();
        boolean flip = me == Piece.WHITE;
        int n = off;
        for (int sq = 0; sq < 81; sq++) {
            int p = pos.pieceAt(sq);
            if (p == 0) {
                continue;
            }
            int plane = (Piece.color(p) == me ? 0 : 14) + Piece.type(p) - 1;
            idx[n] = plane * 81 + (flip ? 80 - sq : sq);
            val[n] = 1f;
            n++;
        }
        for (int t = Piece.PAWN; t <= Piece.GOLD; t++) {
            int own = pos.handCount(me, t);
            if (own != 0) {
                idx[n] = HAND_BASE + t - 1;
                val[n] = own / HAND_MAX[t];
                n++;
            }
            int opp = pos.handCount(me ^ 1, t);
            if (opp != 0) {
                idx[n] = HAND_BASE + 7 + t - 1;
                val[n] = opp / HAND_MAX[t];
                n++;
            }
        }
        if (me == Piece.BLACK) {
            idx[n] = SIDE_FEATURE;
            val[n] = 1f;
            n++;
        }
        int played = pos.moveNumber() - 1;
        if (played != 0) {
            idx[n] = MOVE_COUNT_FEATURE;
            val[n] = played / 512f;
            n++;
        }
        return n - off;
    }

    /** Packed move code of a legal move of {@code pos} (see class comment). */
    public static int moveCode(int move, int sideToMove) {
        int action = ActionSpace.indexOf(move, sideToMove);
        int moved = Move.isDrop(move) ? 14 + Move.dropType(move) - 1 : Piece.type(Move.piece(move)) - 1;
        int captured = Piece.type(Move.captured(move));
        int promo = Move.isPromotion(move) ? 1 : 0;
        return code(action, moved, captured, promo);
    }

    public static int code(int action, int moved, int captured, int promo) {
        return action | (moved << 14) | (captured << 19) | (promo << 23);
    }

    public static int action(int code) {
        return code & 0x3FFF;
    }

    public static int moved(int code) {
        return (code >>> 14) & 31;
    }

    public static int captured(int code) {
        return (code >>> 19) & 15;
    }

    public static int promo(int code) {
        return (code >>> 23) & 1;
    }

    /** Move codes of all legal moves, in list order, into {@code out[off..]}; returns the count. */
    public static int encodeMoves(MoveList legal, int sideToMove, int[] out, int off) {
        int n = legal.size();
        for (int i = 0; i < n; i++) {
            out[off + i] = moveCode(legal.get(i), sideToMove);
        }
        return n;
    }
}
