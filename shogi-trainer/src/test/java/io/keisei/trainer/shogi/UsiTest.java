package io.keisei.trainer.shogi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsiTest {

    @Test
    void formatsBoardMovesPromotionsAndDrops() {
        Position p = Position.startpos();
        int m = Usi.parse(p, "7g7f");
        assertThat(Move.from(m)).isEqualTo(Square.parseUsi("7g", 0));
        assertThat(Move.to(m)).isEqualTo(Square.parseUsi("7f", 0));
        assertThat(Usi.format(m)).isEqualTo("7g7f");
        for (String s : new String[] {"7g7f", "3c3d"}) {
            p.play(Usi.parse(p, s));
        }
        int promo = Usi.parse(p, "8h2b+");
        assertThat(Move.isPromotion(promo)).isTrue();
        assertThat(Move.captured(promo)).isEqualTo(Piece.make(Piece.WHITE, Piece.BISHOP));
        assertThat(Usi.format(promo)).isEqualTo("8h2b+");
        p.play(promo);
        p.play(Usi.parse(p, "3a2b"));
        int drop = Usi.parse(p, "B*5e");
        assertThat(Move.isDrop(drop)).isTrue();
        assertThat(Move.dropType(drop)).isEqualTo(Piece.BISHOP);
        assertThat(Usi.format(drop)).isEqualTo("B*5e");
    }

    @Test
    void everyLegalMoveRoundTrips() {
        MoveList list = new MoveList();
        for (String sfen : TestPositions.randomPositions(11, 30, 150)) {
            Position p = Position.fromSfen(sfen);
            p.legalMoves(list);
            for (int i = 0; i < list.size(); i++) {
                int m = list.get(i);
                assertThat(Usi.parse(p, Usi.format(m))).isEqualTo(m);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "7g7", "7g7g", "7g7f++", "0g7f", "7j7f", "P*5j", "K*5e", "p*5e", "P-5e"})
    void rejectsMalformed(String text) {
        assertThatThrownBy(() -> Usi.parse(Position.startpos(), text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toleratesSurroundingWhitespace() {
        assertThat(Usi.format(Usi.parse(Position.startpos(), " 7g7f "))).isEqualTo("7g7f");
    }

    @ParameterizedTest
    @ValueSource(strings = {"7g7e", "8h2b+", "P*5e", "5i5h+", "3c3d"})
    void rejectsIllegal(String text) {
        assertThatThrownBy(() -> Usi.parse(Position.startpos(), text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("illegal");
    }
}
