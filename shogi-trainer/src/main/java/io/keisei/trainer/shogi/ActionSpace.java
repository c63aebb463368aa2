package io.keisei.trainer.shogi;

/**
 * Keisei's fixed policy action space of 13,527 indices, seen from the side to move (like
 * {@link Observation}): squares are first mapped to the mover's view, {@code v(sq) = sq} for Black
 * and {@code v(sq) = 80 - sq} for White, where {@code sq = row * 9 + col} (row 0 = rank a,
 * col 0 = file 9, see {@link Square}).
 *
 * <pre>
 * board move from f to t (f != t), promotion flag p (0/1):
 *     index = (v(f) * 80 + t') * 2 + p,   t' = v(t) if v(t) &lt; v(f), else v(t) - 1
 *     range 0 .. 12,959
 * drop of piece k on t, k in P L N S G B R order (0..6):
 *     index = 12,960 + v(t) * 7 + k
 *     range 12,960 .. 13,526
 * </pre>
 * This is the order of Keisei's PolicyOutputMapper (from, to with from skipped, then promotion;
 * then drops by square and piece), applied to mover-relative squares so one network serves both
 * colours.
 */
public final class ActionSpace {
    public static final int BOARD_ACTIONS = 81 * 80 * 2;
    public static final int DROP_ACTIONS = 81 * 7;
    public static final int SIZE = BOARD_ACTIONS + DROP_ACTIONS;

    /** Drop index k for each piece type (P L N S G B R = 0..6). */
    private static final int[] DROP_INDEX = new int[8];
    private static final int[] DROP_TYPE = {
        Piece.PAWN, Piece.LANCE, Piece.KNIGHT, Piece.SILVER, Piece.GOLD, Piece.BISHOP, Piece.ROOK
    };

    static {
        for (int k = 0; k < DROP_TYPE.length; k++) {
            DROP_INDEX[DROP_TYPE[k]] = k;
        }
    }

    private ActionSpace() {
    }

    /** Index of a move played by {@code sideToMove}. */
    public static int indexOf(int move, int sideToMove) {
        boolean flip = sideToMove == Piece.WHITE;
        int to = Move.to(move);
        int vt = flip ? 80 - to : to;
        if (Move.isDrop(move)) {
            return BOARD_ACTIONS + vt * 7 + DROP_INDEX[Move.dropType(move)];
        }
        int from = Move.from(move);
        int vf = flip ? 80 - from : from;
        int t = vt < vf ? vt : vt - 1;
        return (vf * 80 + t) * 2 + (Move.isPromotion(move) ? 1 : 0);
    }

    /**
     * The move an index denotes in {@code pos}, with moved and captured pieces filled in from the
     * board, or {@link Move#NONE} when it cannot be a move there at all (no own piece on the origin,
     * own piece on the target, occupied drop square, nothing of that kind in hand, promoting a piece
     * that cannot promote). It does not check full legality: mask with {@link #legalMask}.
     */
    public static int moveOf(int index, Position pos) {
        if (index < 0 || index >= SIZE) {
            throw new IllegalArgumentException("action index out of range: " + index);
        }
        int me = pos.sideToMove();
        boolean flip = me == Piece.WHITE;
        if (index >= BOARD_ACTIONS) {
            int rest = index - BOARD_ACTIONS;
            int vt = rest / 7;
            int type = DROP_TYPE[rest % 7];
            int to = flip ? 80 - vt : vt;
            if (pos.board[to] != 0 || pos.hand[me][type] == 0) {
                return Move.NONE;
            }
            return Move.drop(to, Piece.make(me, type));
        }
        boolean promote = (index & 1) != 0;
        int pair = index >> 1;
        int vf = pair / 80;
        int t = pair % 80;
        int vt = t < vf ? t : t + 1;
        int from = flip ? 80 - vf : vf;
        int to = flip ? 80 - vt : vt;
        int piece = pos.board[from];
        int captured = pos.board[to];
        if (piece == 0 || Piece.color(piece) != me || (captured != 0 && Piece.color(captured) == me)) {
            return Move.NONE;
        }
        if (promote && !Piece.canPromote(Piece.type(piece))) {
            return Move.NONE;
        }
        return Move.board(from, to, promote, piece, captured);
    }

    /** Fills {@code mask[0 .. SIZE)} with true exactly at the indices of {@code legal} moves of {@code pos}. */
    public static void legalMask(Position pos, MoveList legal, boolean[] mask) {
        java.util.Arrays.fill(mask, 0, SIZE, false);
        int me = pos.sideToMove();
        for (int i = 0; i < legal.size(); i++) {
            mask[indexOf(legal.get(i), me)] = true;
        }
    }

    /** Convenience: generates the legal moves and returns a fresh mask. */
    public static boolean[] legalMask(Position pos) {
        MoveList legal = new MoveList();
        pos.legalMoves(legal);
        boolean[] mask = new boolean[SIZE];
        legalMask(pos, legal, mask);
        return mask;
    }
}
