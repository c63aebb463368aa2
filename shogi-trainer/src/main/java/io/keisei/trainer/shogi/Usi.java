package io.keisei.trainer.shogi;

/**
 * USI move notation: board moves "7g7f", promotions "8h2b+", drops "P*5e".
 *
 * <p>Parsing resolves the text against the position's legal moves, so the returned int carries
 * the moved and captured pieces and is safe to pass to {@link Position#play(int)}.
 */
public final class Usi {
    private Usi() {
    }

    public static String format(int move) {
        if (move == Move.NONE) {
            return "none";
        }
        if (Move.isDrop(move)) {
            return Piece.letter(Move.dropType(move)) + "*" + Square.usi(Move.to(move));
        }
        return Square.usi(Move.from(move)) + Square.usi(Move.to(move)) + (Move.isPromotion(move) ? "+" : "");
    }

    /** Parses a USI move and returns the matching legal move; throws if malformed or illegal. */
    public static int parse(Position pos, String text) {
        int action = parseAction(text);
        MoveList legal = new MoveList();
        pos.legalMoves(legal);
        for (int i = 0; i < legal.size(); i++) {
            if (Move.action(legal.get(i)) == action) {
                return legal.get(i);
            }
        }
        throw new IllegalArgumentException("illegal move '" + text + "' in " + pos.toSfen());
    }

    /**
     * The position-independent bits (see {@link Move#action(int)}) of a USI string; throws on
     * malformed text.
     */
    static int parseAction(String text) {
        String t = text == null ? "" : text.trim();
        if (t.length() == 4 && t.charAt(1) == '*') {
            int type = Piece.typeOfLetter(t.charAt(0));
            int to = Square.parseUsi(t, 2);
            if (type == 0 || type == Piece.KING || !Character.isUpperCase(t.charAt(0)) || to < 0) {
                throw new IllegalArgumentException("malformed USI drop '" + text + "'");
            }
            return Move.action(Move.drop(to, Piece.make(Piece.BLACK, type)));
        }
        if (t.length() == 4 || (t.length() == 5 && t.charAt(4) == '+')) {
            int from = Square.parseUsi(t, 0);
            int to = Square.parseUsi(t, 2);
            if (from >= 0 && to >= 0 && from != to) {
                return Move.action(Move.board(from, to, t.length() == 5, 0, 0));
            }
        }
        throw new IllegalArgumentException("malformed USI move '" + text + "'");
    }
}
