package io.keisei.trainer.shogi;

/**
 * Square numbering: {@code sq = row * 9 + col}, where row 0 is rank 'a' (top, White's back rank)
 * and col 0 is file 9 (leftmost in SFEN). This is the order SFEN lists the board in, so parsing
 * and formatting are a straight walk, and it matches Keisei's {@code board[row][col]} layout.
 */
public final class Square {
    public static final int COUNT = 81;

    private Square() {
    }

    public static int of(int row, int col) {
        return row * 9 + col;
    }

    public static int row(int sq) {
        return sq / 9;
    }

    public static int col(int sq) {
        return sq % 9;
    }

    /** Shogi file number 1..9 (file 1 is on Black's right). */
    public static int file(int sq) {
        return 9 - sq % 9;
    }

    /** Shogi rank number 1..9 (rank 1 = 'a'). */
    public static int rank(int sq) {
        return sq / 9 + 1;
    }

    /** The same square seen from the other side of the board (180 degree rotation). */
    public static int flip(int sq) {
        return 80 - sq;
    }

    /** Whether a piece of {@code color} standing on {@code sq} is in its promotion zone. */
    public static boolean inPromotionZone(int color, int sq) {
        int row = sq / 9;
        return color == Piece.BLACK ? row <= 2 : row >= 6;
    }

    /**
     * How many ranks {@code sq} is from the far edge for {@code color}: 0 on the last rank,
     * 1 on the second-to-last. Used for forced promotion and drop restrictions.
     */
    public static int ranksToEdge(int color, int sq) {
        int row = sq / 9;
        return color == Piece.BLACK ? row : 8 - row;
    }

    /** USI square name like "7g". */
    public static String usi(int sq) {
        return "" + (char) ('0' + file(sq)) + (char) ('a' + sq / 9);
    }

    /** Parses a USI square ("7g") starting at {@code offset}; returns -1 if malformed. */
    public static int parseUsi(CharSequence s, int offset) {
        if (s.length() < offset + 2) {
            return -1;
        }
        char f = s.charAt(offset);
        char r = s.charAt(offset + 1);
        if (f < '1' || f > '9' || r < 'a' || r > 'i') {
            return -1;
        }
        return of(r - 'a', 9 - (f - '0'));
    }
}
