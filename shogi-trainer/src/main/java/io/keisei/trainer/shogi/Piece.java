package io.keisei.trainer.shogi;

/**
 * Piece and colour codes as plain ints, so the board is an {@code int[81]} and the hot paths
 * never allocate.
 *
 * <p>A piece code is {@code type | color << 4}; 0 is an empty square. Types are numbered so that
 * promoting is "+8" for every promotable type (P L N S B R are 1..6, their promoted forms 9..14),
 * and so that the seven droppable types are exactly 1..7.
 */
public final class Piece {
    public static final int BLACK = 0;
    public static final int WHITE = 1;

    public static final int EMPTY = 0;
    public static final int PAWN = 1;
    public static final int LANCE = 2;
    public static final int KNIGHT = 3;
    public static final int SILVER = 4;
    public static final int BISHOP = 5;
    public static final int ROOK = 6;
    public static final int GOLD = 7;
    public static final int KING = 8;
    public static final int PRO_PAWN = 9;
    public static final int PRO_LANCE = 10;
    public static final int PRO_KNIGHT = 11;
    public static final int PRO_SILVER = 12;
    public static final int HORSE = 13;
    public static final int DRAGON = 14;

    /** Number of distinct piece codes (array size for per-code lookup tables). */
    public static final int CODES = 32;

    /** Types that can be held in hand and dropped, in the order used by SFEN hands (R B G S N L P). */
    static final int[] SFEN_HAND_ORDER = {ROOK, BISHOP, GOLD, SILVER, KNIGHT, LANCE, PAWN};

    /** Most pieces of each base type in a full set, used to validate SFEN input. Index by type. */
    static final int[] MAX_COUNT = {0, 18, 4, 4, 4, 2, 2, 4, 2};

    private static final String LETTERS = ".PLNSBRGK";

    private Piece() {
    }

    public static int make(int color, int type) {
        return type | (color << 4);
    }

    public static int type(int piece) {
        return piece & 15;
    }

    /** Colour of a non-empty piece code. */
    public static int color(int piece) {
        return piece >>> 4;
    }

    public static boolean canPromote(int type) {
        return type >= PAWN && type <= ROOK;
    }

    public static boolean isPromoted(int type) {
        return type > KING;
    }

    public static int promote(int type) {
        return type + 8;
    }

    /** The base type a piece reverts to when captured (kings and golds are their own base). */
    public static int unpromote(int type) {
        return type > KING ? type - 8 : type;
    }

    /** Upper-case SFEN letter of a base type ('P' for PAWN ... 'K' for KING). */
    public static char letter(int baseType) {
        return LETTERS.charAt(baseType);
    }

    /** Base type for an SFEN/USI letter of either case, or 0 when the letter is not a piece. */
    public static int typeOfLetter(char c) {
        int i = LETTERS.indexOf(Character.toUpperCase(c));
        return i <= 0 ? 0 : i;
    }

    /** SFEN token for a piece code, e.g. "P", "+r", "k". */
    public static String sfen(int piece) {
        int type = type(piece);
        char c = letter(unpromote(type));
        if (color(piece) == WHITE) {
            c = Character.toLowerCase(c);
        }
        return isPromoted(type) ? "+" + c : String.valueOf(c);
    }
}
