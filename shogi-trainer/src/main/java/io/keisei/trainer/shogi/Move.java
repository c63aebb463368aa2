package io.keisei.trainer.shogi;

/**
 * Moves are ints so move lists are plain {@code int[]} and nothing is allocated while searching.
 *
 * <pre>
 * bits  0-6   to square (0..80)
 * bits  7-13  from square (0..80), or 81 + (type - 1) for a drop of type PAWN..GOLD
 * bit   14    promotion flag
 * bits 15-19  piece code that moves (the unpromoted piece for a promotion; the dropped piece)
 * bits 20-24  piece code captured, 0 if none
 * </pre>
 *
 * The moved and captured pieces are stored so that {@link Position#undo()} needs no extra state
 * and perft can count captures without looking at the board. They are fully determined by the
 * position, so two moves of the same position are equal exactly when their ints are equal;
 * {@link #action(int)} gives the position-independent part (to, from, promotion).
 * The value 0 ({@link #NONE}) is never a real move because from == to is impossible.
 */
public final class Move {
    public static final int NONE = 0;

    static final int DROP_BASE = 81;
    private static final int PROMOTE_BIT = 1 << 14;

    private Move() {
    }

    public static int board(int from, int to, boolean promote, int piece, int captured) {
        return to | (from << 7) | (promote ? PROMOTE_BIT : 0) | (piece << 15) | (captured << 20);
    }

    public static int drop(int to, int piece) {
        return to | ((DROP_BASE + Piece.type(piece) - 1) << 7) | (piece << 15);
    }

    public static int to(int move) {
        return move & 127;
    }

    /** Origin square of a board move (meaningless for drops). */
    public static int from(int move) {
        return (move >>> 7) & 127;
    }

    public static boolean isDrop(int move) {
        return ((move >>> 7) & 127) >= DROP_BASE;
    }

    /** Dropped piece type (PAWN..GOLD) of a drop. */
    public static int dropType(int move) {
        return ((move >>> 7) & 127) - DROP_BASE + 1;
    }

    public static boolean isPromotion(int move) {
        return (move & PROMOTE_BIT) != 0;
    }

    /** Piece code that moves (before promotion), including colour. */
    public static int piece(int move) {
        return (move >>> 15) & 31;
    }

    /** Captured piece code including colour, or 0. */
    public static int captured(int move) {
        return (move >>> 20) & 31;
    }

    public static boolean isCapture(int move) {
        return captured(move) != 0;
    }

    /** The to/from/promotion bits only: what a USI string or an action index says. */
    public static int action(int move) {
        return move & 0x7FFF;
    }
}
