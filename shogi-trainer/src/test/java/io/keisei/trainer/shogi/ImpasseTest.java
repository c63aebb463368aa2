package io.keisei.trainer.shogi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The entering-king declaration (27-point rule) as a pure function, and through {@link Game}. */
class ImpasseTest {
    /**
     * Black's king on 5b with 10 pieces in the zone: dragon, dragon, horse (15 points), four golds and
     * three silvers (7 points), plus pawns in hand: 6 in hand makes 28.
     */
    static final String BLACK_28 = "+R+R+B6/GGGGK4/SSS6/9/9/9/9/9/4k4 b 6P 1";
    /** The same with 5 pawns in hand: 27 points, one short for Black. */
    static final String BLACK_27 = "+R+R+B6/GGGGK4/SSS6/9/9/9/9/9/4k4 b 5P 1";
    /** BLACK_27 turned round for White (5 pawns in hand: 27 points), White to move: enough for White. */
    static final String WHITE_27 = "4K4/9/9/9/9/9/6sss/4kgggg/6+b+r+r w 5p 1";
    /** BLACK_28 with a White pawn on 5a checking the king. */
    static final String BLACK_28_IN_CHECK = "+R+R+B1p4/GGGGK4/SSS6/9/9/9/9/9/4k4 b 6P 1";
    /** 28 points, but only 9 pieces in the zone (a silver moved back to rank d) and one more pawn in hand. */
    static final String BLACK_NINE_PIECES = "+R+R+B6/GGGGK4/SS7/S8/9/9/9/9/4k4 b 7P 1";
    /** BLACK_28 with the king on 5d, outside the zone. */
    static final String BLACK_KING_OUTSIDE = "+R+R+B6/GGGG5/SSS6/4K4/9/9/9/9/4k4 b 6P 1";

    @Test
    void blackWithTwentyEightPointsDeclares() {
        Position p = Position.fromSfen(BLACK_28);
        assertThat(Impasse.piecesInZone(p, Piece.BLACK)).isEqualTo(10);
        assertThat(Impasse.points(p, Piece.BLACK)).isEqualTo(28);
        assertThat(Impasse.canDeclare(p)).isTrue();
    }

    @Test
    void twentySevenPointsAreNotEnoughForBlackButAreForWhite() {
        Position black = Position.fromSfen(BLACK_27);
        assertThat(Impasse.points(black, Piece.BLACK)).isEqualTo(27);
        assertThat(Impasse.canDeclare(black)).isFalse();

        Position white = Position.fromSfen(WHITE_27);
        assertThat(Impasse.piecesInZone(white, Piece.WHITE)).isEqualTo(10);
        assertThat(Impasse.points(white, Piece.WHITE)).isEqualTo(27);
        assertThat(Impasse.canDeclare(white)).isTrue();
        // one pawn fewer in hand: 26
        assertThat(Impasse.canDeclare(Position.fromSfen(WHITE_27.replace(" 5p ", " 4p ")))).isFalse();
    }

    @Test
    void aKingInCheckCannotDeclare() {
        Position p = Position.fromSfen(BLACK_28_IN_CHECK);
        assertThat(p.isCheck()).isTrue();
        assertThat(Impasse.points(p, Piece.BLACK)).isEqualTo(28);
        assertThat(Impasse.canDeclare(p)).isFalse();
    }

    @Test
    void tenPiecesInTheZoneAndTheKingInsideAreRequired() {
        Position nine = Position.fromSfen(BLACK_NINE_PIECES);
        assertThat(Impasse.piecesInZone(nine, Piece.BLACK)).isEqualTo(9);
        assertThat(Impasse.points(nine, Piece.BLACK)).isEqualTo(28);
        assertThat(Impasse.canDeclare(nine)).isFalse();
        assertThat(Impasse.canDeclare(Position.fromSfen(BLACK_KING_OUTSIDE))).isFalse();
    }

    @Test
    void onlyTheSideToMoveDeclares() {
        // Black qualifies, but it is White's turn (and White does not)
        assertThat(Impasse.canDeclare(Position.fromSfen(BLACK_28.replace(" b ", " w ")))).isFalse();
        assertThat(Impasse.canDeclare(Position.startpos())).isFalse();
    }

    @Test
    void piecePoints() {
        assertThat(Impasse.pieceValue(Piece.ROOK)).isEqualTo(5);
        assertThat(Impasse.pieceValue(Piece.DRAGON)).isEqualTo(5);
        assertThat(Impasse.pieceValue(Piece.BISHOP)).isEqualTo(5);
        assertThat(Impasse.pieceValue(Piece.HORSE)).isEqualTo(5);
        assertThat(Impasse.pieceValue(Piece.PRO_PAWN)).isEqualTo(1);
        assertThat(Impasse.pieceValue(Piece.GOLD)).isEqualTo(1);
        assertThat(Impasse.pieceValue(Piece.KING)).isZero();
        // the start position: no piece in the zone, nothing in hand
        assertThat(Impasse.points(Position.startpos(), Piece.BLACK)).isZero();
        // the zone is the opponent's camp: White's pieces in ranks a-c are at home and do not count
        assertThat(Impasse.piecesInZone(Position.startpos(), Piece.WHITE)).isZero();
        assertThat(Impasse.points(Position.startpos(), Piece.WHITE)).isZero();
    }

    @Test
    void aGameEndsOnADeclarationAndOnAResignation() {
        Game g = new Game(Position.fromSfen(BLACK_28), 500);
        assertThat(g.isOver()).isFalse();
        assertThat(g.declareImpasse()).isEqualTo(new GameResult(GameResult.Outcome.BLACK_WIN, GameResult.Reason.IMPASSE));
        assertThat(g.legalMoves().isEmpty()).isTrue();
        assertThatThrownBy(g::resign).isInstanceOf(IllegalStateException.class);
        assertThat(Kif.export(g)).contains("入玉勝ち").contains("入玉宣言により先手の勝ち");

        Game notYet = new Game(Position.fromSfen(BLACK_27), 500);
        assertThat(notYet.declareImpasse()).isEqualTo(GameResult.ONGOING);

        Game r = new Game();
        r.playUsi("7g7f");
        assertThat(r.resign()).isEqualTo(new GameResult(GameResult.Outcome.BLACK_WIN, GameResult.Reason.RESIGN));
        assertThat(Kif.export(r)).contains("投了");
    }
}
