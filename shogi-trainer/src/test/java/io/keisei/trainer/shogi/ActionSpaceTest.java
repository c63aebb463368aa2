package io.keisei.trainer.shogi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ActionSpaceTest {

    @Test
    void sizeIsKeiseis() {
        assertThat(ActionSpace.SIZE).isEqualTo(13_527);
        assertThat(ActionSpace.BOARD_ACTIONS).isEqualTo(12_960);
    }

    @Test
    void documentedFormula() {
        Position p = Position.startpos();
        // 7g = sq 56, 7f = sq 47: (56 * 80 + 47) * 2 + 0
        assertThat(ActionSpace.indexOf(Usi.parse(p, "7g7f"), Piece.BLACK)).isEqualTo(9054);
        p.play(Usi.parse(p, "7g7f"));
        // White's 3c3d is 7g7f seen from White's side, so it gets the same index.
        assertThat(ActionSpace.indexOf(Usi.parse(p, "3c3d"), Piece.WHITE)).isEqualTo(9054);
        // Drops: 12960 + v(to) * 7 + k; 5e is the centre (40) for both sides, pawn k = 0, gold k = 4.
        assertThat(ActionSpace.indexOf(Move.drop(40, Piece.make(Piece.BLACK, Piece.PAWN)), Piece.BLACK)).isEqualTo(13_240);
        assertThat(ActionSpace.indexOf(Move.drop(40, Piece.make(Piece.WHITE, Piece.GOLD)), Piece.WHITE)).isEqualTo(13_244);
        // Promotion is the odd neighbour of the same from/to pair.
        int from = 0;
        int to = 1;
        assertThat(ActionSpace.indexOf(Move.board(from, to, true, Piece.make(Piece.BLACK, Piece.ROOK), 0), Piece.BLACK))
                .isEqualTo(1);
        assertThat(ActionSpace.indexOf(Move.board(80, 79, true, Piece.make(Piece.BLACK, Piece.ROOK), 0), Piece.BLACK))
                .isEqualTo(ActionSpace.BOARD_ACTIONS - 1);
    }

    @Test
    void bijectionOverLegalMovesOfRandomPositions() {
        List<String> positions = TestPositions.randomPositions(2024, 60, 200);
        MoveList legal = new MoveList();
        boolean[] mask = new boolean[ActionSpace.SIZE];
        int drops = 0;
        int promotions = 0;
        for (String sfen : positions) {
            Position p = Position.fromSfen(sfen);
            p.legalMoves(legal);
            ActionSpace.legalMask(p, legal, mask);
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < legal.size(); i++) {
                int m = legal.get(i);
                int index = ActionSpace.indexOf(m, p.sideToMove());
                assertThat(index).isBetween(0, ActionSpace.SIZE - 1);
                assertThat(seen.add(index)).as("distinct index for %s in %s", Usi.format(m), sfen).isTrue();
                assertThat(ActionSpace.moveOf(index, p)).as("moveOf(indexOf(%s))", Usi.format(m)).isEqualTo(m);
                assertThat(mask[index]).isTrue();
                drops += Move.isDrop(m) ? 1 : 0;
                promotions += Move.isPromotion(m) ? 1 : 0;
            }
            int trueCount = 0;
            for (boolean b : mask) {
                trueCount += b ? 1 : 0;
            }
            assertThat(trueCount).isEqualTo(legal.size());
        }
        // Make sure the sample really covered drops and promotions for both colours.
        assertThat(drops).isGreaterThan(10_000);
        assertThat(promotions).isGreaterThan(1_000);
    }

    @Test
    void everyIndexDecodesToItselfOrToNothing() {
        MoveList legal = new MoveList();
        for (String sfen : TestPositions.randomPositions(99, 10, 120)) {
            Position p = Position.fromSfen(sfen);
            p.legalMoves(legal);
            boolean[] mask = ActionSpace.legalMask(p);
            for (int index = 0; index < ActionSpace.SIZE; index++) {
                int m = ActionSpace.moveOf(index, p);
                if (m == Move.NONE) {
                    assertThat(mask[index]).isFalse();
                    continue;
                }
                assertThat(ActionSpace.indexOf(m, p.sideToMove())).isEqualTo(index);
                assertThat(legal.contains(m)).isEqualTo(mask[index]);
            }
        }
    }

    @Test
    void maskAndMoveListAgreeAtTheStart() {
        boolean[] mask = ActionSpace.legalMask(Position.startpos());
        int n = 0;
        for (boolean b : mask) {
            n += b ? 1 : 0;
        }
        assertThat(n).isEqualTo(30);
    }
}
