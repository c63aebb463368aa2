package io.keisei.trainer.shogi;

/**
 * The entering-king declaration (入玉宣言法), as in the CSA/JSA 27-point rule used by computer shogi
 * tournaments. The side to move may declare, and wins, when all of these hold:
 * <ol>
 *   <li>its king is in the opponent's camp (its own promotion zone, the three far ranks);</li>
 *   <li>it has at least {@value #MIN_PIECES_IN_ZONE} other pieces in that zone;</li>
 *   <li>its king is not in check;</li>
 *   <li>its points are at least {@value #BLACK_POINTS} for Black (the first player) or
 *       {@value #WHITE_POINTS} for White, counting the pieces in the zone other than the king and
 *       all pieces in hand: rooks and bishops, promoted or not, {@value #BIG_PIECE_POINTS} points,
 *       every other piece 1.</li>
 * </ol>
 * (The tournament rule also requires time left on the clock; there is no clock here.) Pure
 * functions of the position: nothing here changes it.
 */
public final class Impasse {
    public static final int BLACK_POINTS = 28;
    public static final int WHITE_POINTS = 27;
    public static final int MIN_PIECES_IN_ZONE = 10;
    public static final int BIG_PIECE_POINTS = 5;

    private Impasse() {
    }

    /** Points of one piece type (promoted or not): 5 for rook/bishop/dragon/horse, 0 for the king, else 1. */
    public static int pieceValue(int type) {
        int base = Piece.unpromote(type);
        if (base == Piece.KING) {
            return 0;
        }
        return base == Piece.ROOK || base == Piece.BISHOP ? BIG_PIECE_POINTS : 1;
    }

    /** Pieces of {@code color} other than its king standing in its promotion zone. */
    public static int piecesInZone(Position pos, int color) {
        int n = 0;
        for (int sq = 0; sq < 81; sq++) {
            int p = pos.pieceAt(sq);
            if (p != 0 && Piece.color(p) == color && Piece.type(p) != Piece.KING && Square.inPromotionZone(color, sq)) {
                n++;
            }
        }
        return n;
    }

    /** Declaration points of {@code color}: its pieces in the zone (king excluded) plus its pieces in hand. */
    public static int points(Position pos, int color) {
        int points = 0;
        for (int sq = 0; sq < 81; sq++) {
            int p = pos.pieceAt(sq);
            if (p != 0 && Piece.color(p) == color && Square.inPromotionZone(color, sq)) {
                points += pieceValue(Piece.type(p));
            }
        }
        for (int t = Piece.PAWN; t <= Piece.GOLD; t++) {
            points += pos.handCount(color, t) * pieceValue(t);
        }
        return points;
    }

    /** Points {@code color} needs to declare: {@value #BLACK_POINTS} for Black, {@value #WHITE_POINTS} for White. */
    public static int requiredPoints(int color) {
        return color == Piece.BLACK ? BLACK_POINTS : WHITE_POINTS;
    }

    /** Whether the side to move of {@code pos} may declare (and so win) now. */
    public static boolean canDeclare(Position pos) {
        int us = pos.sideToMove();
        int king = pos.kingSquare(us);
        // cheapest test first: this runs before every move of a match
        if (king < 0 || !Square.inPromotionZone(us, king)) {
            return false;
        }
        return piecesInZone(pos, us) >= MIN_PIECES_IN_ZONE
                && points(pos, us) >= requiredPoints(us)
                && !pos.isCheck();
    }
}
