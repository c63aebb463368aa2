package io.keisei.trainer.shogi;

import java.util.Arrays;

/**
 * Keisei's {@code core46} network input: 46 planes of 9x9 floats, laid out plane-major
 * ({@code out[plane * 81 + row * 9 + col]}), always from the point of view of the side to move.
 *
 * <p>"From the mover's view" means that when White is to move the board is rotated 180 degrees
 * (square {@code sq} is written at {@code 80 - sq}), so the mover's pieces always start at the
 * bottom and move up, and "own"/"opponent" planes are relative to the mover.
 *
 * <pre>
 *  0-7   own unpromoted  P L N S G B R K          (1.0 where the piece stands)
 *  8-13  own promoted    +P +L +N +S +B +R
 * 14-21  opponent unpromoted P L N S G B R K
 * 22-27  opponent promoted   +P +L +N +S +B +R
 * 28-34  own hand P L N S G B R:      count / max (P 18, L N S G 4, B R 2), so each lies in [0, 1]
 * 35-41  opponent hand P L N S G B R: same normalisation
 * 42     1.0 if Black (sente) is to move, 0.0 if White
 * 43     moves played / 512, where moves played = SFEN move number - 1
 * 44-45  zero (reserved)
 * </pre>
 * Hand counts are normalised (not raw) to match Keisei's Python builder and keep all inputs in a
 * similar range.
 */
public final class Observation {
    public static final int PLANES = 46;
    public static final int SIZE = PLANES * 81;
    public static final float MOVE_COUNT_SCALE = 512f;

    /** Plane (within a 14-plane side block) for each piece type. */
    private static final int[] PLANE_OF_TYPE = new int[15];
    /** Hand types in plane order P L N S G B R. */
    private static final int[] HAND_TYPES = {
        Piece.PAWN, Piece.LANCE, Piece.KNIGHT, Piece.SILVER, Piece.GOLD, Piece.BISHOP, Piece.ROOK
    };

    static {
        int[] order = {
            Piece.PAWN, Piece.LANCE, Piece.KNIGHT, Piece.SILVER, Piece.GOLD, Piece.BISHOP, Piece.ROOK, Piece.KING,
            Piece.PRO_PAWN, Piece.PRO_LANCE, Piece.PRO_KNIGHT, Piece.PRO_SILVER, Piece.HORSE, Piece.DRAGON
        };
        for (int i = 0; i < order.length; i++) {
            PLANE_OF_TYPE[order[i]] = i;
        }
    }

    private Observation() {
    }

    /** Writes the observation into {@code out[0 .. SIZE)}. */
    public static void core46(Position pos, float[] out) {
        core46(pos, out, 0);
    }

    /** Writes the observation into {@code out[offset .. offset + SIZE)}, e.g. one row of a batch. */
    public static void core46(Position pos, float[] out, int offset) {
        Arrays.fill(out, offset, offset + SIZE, 0f);
        int me = pos.sideToMove();
        boolean flip = me == Piece.WHITE;
        for (int sq = 0; sq < 81; sq++) {
            int p = pos.board[sq];
            if (p == 0) {
                continue;
            }
            int plane = PLANE_OF_TYPE[Piece.type(p)] + (Piece.color(p) == me ? 0 : 14);
            int view = flip ? 80 - sq : sq;
            out[offset + plane * 81 + view] = 1f;
        }
        for (int i = 0; i < HAND_TYPES.length; i++) {
            int t = HAND_TYPES[i];
            fillPlane(out, offset, 28 + i, pos.hand[me][t] / (float) Piece.MAX_COUNT[t]);
            fillPlane(out, offset, 35 + i, pos.hand[me ^ 1][t] / (float) Piece.MAX_COUNT[t]);
        }
        fillPlane(out, offset, 42, me == Piece.BLACK ? 1f : 0f);
        fillPlane(out, offset, 43, (pos.moveNumber() - 1) / MOVE_COUNT_SCALE);
    }

    private static void fillPlane(float[] out, int offset, int plane, float value) {
        if (value != 0f) {
            int start = offset + plane * 81;
            Arrays.fill(out, start, start + 81, value);
        }
    }
}
