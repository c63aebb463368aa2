package io.keisei.trainer.shogi;

import java.util.SplittableRandom;

/**
 * Zobrist keys for the position hash used by repetition detection. The hash covers board, side
 * to move and both hands (the three things sennichite compares), and is updated incrementally by
 * {@link Position#play(int)}. A fixed seed keeps hashes stable across runs, which helps debugging.
 */
final class Zobrist {
    static final long[][] PIECE_SQUARE = new long[Piece.CODES][81];
    /** HAND[color][type][count]: key for holding exactly {@code count} pieces of a type. */
    static final long[][][] HAND = new long[2][8][19];
    static final long WHITE_TO_MOVE;

    private Zobrist() {
    }

    static {
        SplittableRandom rnd = new SplittableRandom(0x5EED_5A0B_1CEBL);
        for (int p = 0; p < Piece.CODES; p++) {
            for (int sq = 0; sq < 81; sq++) {
                PIECE_SQUARE[p][sq] = rnd.nextLong();
            }
        }
        for (int c = 0; c < 2; c++) {
            for (int t = 0; t < 8; t++) {
                for (int n = 1; n < 19; n++) {
                    // Count 0 keeps key 0, so empty hands contribute nothing.
                    HAND[c][t][n] = rnd.nextLong();
                }
            }
        }
        WHITE_TO_MOVE = rnd.nextLong();
    }
}
