package io.keisei.trainer.shogi;

/**
 * Precomputed board geometry: rays, step targets and per-piece direction masks. Everything the
 * move generator and attack test need is a table lookup, which is what makes a plain mailbox
 * board fast enough for perft.
 *
 * <p>Directions are numbered clockwise from "up the board" (towards rank a):
 * 0 N, 1 NE, 2 E, 3 SE, 4 S, 5 SW, 6 W, 7 NW, so the opposite of {@code d} is {@code (d + 4) & 7}
 * and White's moves are Black's masks rotated by 4.
 */
final class Geometry {
    static final int[] DROW = {-1, -1, 0, 1, 1, 1, 0, -1};
    static final int[] DCOL = {0, 1, 1, 1, 0, -1, -1, -1};

    /** RAYS[sq][d]: squares from sq outward in direction d, nearest first, up to the edge. */
    static final int[][][] RAYS = new int[81][8][];
    /** Bit d set when the piece can step one square in direction d (sliding excluded). */
    static final int[] STEP_MASK = new int[Piece.CODES];
    /** Bit d set when the piece slides any distance in direction d. */
    static final int[] SLIDE_MASK = new int[Piece.CODES];
    /** STEPS[piece][sq]: one-step and knight targets of piece from sq. */
    static final int[][][] STEPS = new int[Piece.CODES][][];
    /** SLIDE_DIRS[piece]: the directions the piece slides in. */
    static final int[][] SLIDE_DIRS = new int[Piece.CODES][];
    /** KNIGHT_ATTACKERS[color][sq]: squares from which a knight of color attacks sq. */
    static final int[][][] KNIGHT_ATTACKERS = new int[2][81][];
    /** DIRECTION[a * 81 + b]: direction from a to b when they share a line, else -1. */
    static final byte[] DIRECTION = new byte[81 * 81];

    private static final int N = 1;
    private static final int NE = 1 << 1;
    private static final int E = 1 << 2;
    private static final int SE = 1 << 3;
    private static final int S = 1 << 4;
    private static final int SW = 1 << 5;
    private static final int W = 1 << 6;
    private static final int NW = 1 << 7;
    private static final int ORTHO = N | E | S | W;
    private static final int DIAG = NE | SE | SW | NW;
    private static final int GOLD_STEPS = N | NE | NW | E | W | S;

    private Geometry() {
    }

    static {
        for (int sq = 0; sq < 81; sq++) {
            for (int d = 0; d < 8; d++) {
                int[] buf = new int[8];
                int n = 0;
                int r = Square.row(sq) + DROW[d];
                int c = Square.col(sq) + DCOL[d];
                while (r >= 0 && r < 9 && c >= 0 && c < 9) {
                    buf[n++] = Square.of(r, c);
                    r += DROW[d];
                    c += DCOL[d];
                }
                RAYS[sq][d] = java.util.Arrays.copyOf(buf, n);
            }
        }
        java.util.Arrays.fill(DIRECTION, (byte) -1);
        for (int sq = 0; sq < 81; sq++) {
            for (int d = 0; d < 8; d++) {
                for (int t : RAYS[sq][d]) {
                    DIRECTION[sq * 81 + t] = (byte) d;
                }
            }
        }

        int[] blackSteps = new int[15];
        int[] blackSlides = new int[15];
        blackSteps[Piece.PAWN] = N;
        blackSteps[Piece.SILVER] = N | NE | NW | SE | SW;
        blackSteps[Piece.GOLD] = GOLD_STEPS;
        blackSteps[Piece.KING] = ORTHO | DIAG;
        blackSteps[Piece.PRO_PAWN] = GOLD_STEPS;
        blackSteps[Piece.PRO_LANCE] = GOLD_STEPS;
        blackSteps[Piece.PRO_KNIGHT] = GOLD_STEPS;
        blackSteps[Piece.PRO_SILVER] = GOLD_STEPS;
        blackSteps[Piece.HORSE] = ORTHO;
        blackSteps[Piece.DRAGON] = DIAG;
        blackSlides[Piece.LANCE] = N;
        blackSlides[Piece.BISHOP] = DIAG;
        blackSlides[Piece.ROOK] = ORTHO;
        blackSlides[Piece.HORSE] = DIAG;
        blackSlides[Piece.DRAGON] = ORTHO;

        for (int color = 0; color < 2; color++) {
            for (int type = 1; type <= 14; type++) {
                int piece = Piece.make(color, type);
                int steps = color == Piece.BLACK ? blackSteps[type] : rotate(blackSteps[type]);
                int slides = color == Piece.BLACK ? blackSlides[type] : rotate(blackSlides[type]);
                STEP_MASK[piece] = steps;
                SLIDE_MASK[piece] = slides;
                SLIDE_DIRS[piece] = bits(slides);
                STEPS[piece] = new int[81][];
                for (int sq = 0; sq < 81; sq++) {
                    STEPS[piece][sq] = type == Piece.KNIGHT ? knightTargets(color, sq) : stepTargets(sq, steps);
                }
            }
            for (int sq = 0; sq < 81; sq++) {
                // A knight of `color` on t attacks sq exactly when sq is among t's knight targets,
                // i.e. t is a knight jump of the *other* colour away from sq.
                KNIGHT_ATTACKERS[color][sq] = knightTargets(color ^ 1, sq);
            }
        }
    }

    /** Mirrors a direction mask for White: every direction turns 180 degrees. */
    private static int rotate(int mask) {
        return ((mask << 4) | (mask >>> 4)) & 0xFF;
    }

    private static int[] bits(int mask) {
        int[] out = new int[Integer.bitCount(mask)];
        int n = 0;
        for (int d = 0; d < 8; d++) {
            if ((mask & (1 << d)) != 0) {
                out[n++] = d;
            }
        }
        return out;
    }

    private static int[] stepTargets(int sq, int mask) {
        int[] buf = new int[8];
        int n = 0;
        for (int d = 0; d < 8; d++) {
            if ((mask & (1 << d)) != 0 && RAYS[sq][d].length > 0) {
                buf[n++] = RAYS[sq][d][0];
            }
        }
        return java.util.Arrays.copyOf(buf, n);
    }

    private static int[] knightTargets(int color, int sq) {
        int dr = color == Piece.BLACK ? -2 : 2;
        int r = Square.row(sq) + dr;
        int[] buf = new int[2];
        int n = 0;
        if (r >= 0 && r < 9) {
            for (int dc = -1; dc <= 1; dc += 2) {
                int c = Square.col(sq) + dc;
                if (c >= 0 && c < 9) {
                    buf[n++] = Square.of(r, c);
                }
            }
        }
        return java.util.Arrays.copyOf(buf, n);
    }
}
