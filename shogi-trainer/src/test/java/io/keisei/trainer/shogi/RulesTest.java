package io.keisei.trainer.shogi;

import static io.keisei.trainer.shogi.TestPositions.usiMoves;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Hand-built positions for the rules that perft from the opening barely touches. */
class RulesTest {

    // ---- uchifuzume ----------------------------------------------------------------------------

    /** White king 1a, own knight on 2a, black gold on 2c guarding 1b and 2b: P*1b would mate. */
    static final String PAWN_DROP_MATE = "7nk/9/7G1/9/9/9/9/9/4K4 b P 1";

    @Test
    void pawnDropThatMatesIsIllegal() {
        Set<String> moves = usiMoves(PAWN_DROP_MATE);
        assertThat(moves).doesNotContain("P*1b");
        assertThat(moves).contains("P*1c", "P*2b", "2c1b");
    }

    @Test
    void otherDropThatMatesIsLegal() {
        // Not a pawn, so allowed; and it really is mate.
        Position p = Position.fromSfen("7nk/9/7G1/9/9/9/9/9/4K4 b G 1");
        p.play(Usi.parse(p, "G*1b"));
        assertThat(p.isCheckmate()).isTrue();
    }

    @Test
    void pawnDropThatOnlyChecksIsLegal() {
        // Without the knight on 2a the king escapes there, so the same drop is fine.
        Position p = Position.fromSfen("8k/9/7G1/9/9/9/9/9/4K4 b P 1");
        assertThat(usiMoves(p)).contains("P*1b");
        p.play(Usi.parse(p, "P*1b"));
        assertThat(p.isCheck()).isTrue();
        assertThat(p.isCheckmate()).isFalse();
    }

    @Test
    void pawnDropMateIsIllegalForWhiteToo() {
        // The first position rotated 180 degrees with colours swapped.
        Set<String> moves = usiMoves("4k4/9/9/9/9/9/1g7/9/KN7 w p 1");
        assertThat(moves).doesNotContain("P*9h");
        assertThat(moves).contains("P*9g");
    }

    @Test
    void pawnPushThatMatesIsLegal() {
        Position p = Position.fromSfen("7nk/9/7GP/9/9/9/9/9/4K4 b - 1");
        assertThat(usiMoves(p)).contains("1c1b", "1c1b+");
        p.play(Usi.parse(p, "1c1b"));
        assertThat(p.isCheckmate()).isTrue();
    }

    // ---- drops ---------------------------------------------------------------------------------

    @Test
    void nifuForbidsASecondUnpromotedPawnOnAFile() {
        Set<String> moves = usiMoves("4k4/9/9/9/9/9/4P4/9/4K4 b P 1");
        assertThat(moves.stream().filter(m -> m.startsWith("P*5"))).isEmpty();
        assertThat(moves).contains("P*4e", "P*6e");
        // A promoted pawn does not count.
        assertThat(usiMoves("4k4/9/9/9/9/9/4+P4/9/4K4 b P 1")).contains("P*5e");
    }

    @Test
    void piecesCannotBeDroppedWhereTheyCouldNeverMove() {
        Set<String> black = usiMoves("4k4/9/9/9/9/9/9/9/4K4 b PLN 1");
        assertThat(black).doesNotContain("P*1a", "L*1a", "N*1a", "N*1b");
        assertThat(black).contains("P*1b", "L*1b", "N*1c");
        Set<String> white = usiMoves("4k4/9/9/9/9/9/9/9/4K4 w pln 1");
        assertThat(white).doesNotContain("P*1i", "L*1i", "N*1i", "N*1h");
        assertThat(white).contains("P*1h", "L*1h", "N*1g");
    }

    @Test
    void dropsOnlyOnEmptySquares() {
        // After 7g7f 3c3d 8h2b+ 3a2b Black holds a bishop.
        Set<String> moves = usiMoves("lnsgkg1nl/1r5s1/pppppp1pp/6p2/9/2P6/PP1PPPPPP/7R1/LNSGKGSNL b Bb 5");
        assertThat(moves).contains("B*5e", "B*8h").doesNotContain("B*5g", "B*5i", "B*2b");
    }

    // ---- promotion -----------------------------------------------------------------------------

    @Test
    void forcedAndOptionalPromotion() {
        Set<String> moves = usiMoves("4k4/P8/8L/3N5/7N1/9/9/9/4K4 b - 1");
        assertThat(moves).contains("9b9a+").doesNotContain("9b9a");
        assertThat(moves).contains("1c1b", "1c1b+", "1c1a+").doesNotContain("1c1a");
        assertThat(moves).contains("6d7b+", "6d5b+").doesNotContain("6d7b", "6d5b");
        assertThat(moves).contains("2e3c", "2e3c+");
    }

    @Test
    void promotionWhenLeavingTheZoneAndNeverForGoldOrKing() {
        Set<String> moves = usiMoves("4k4/9/6S2/9/9/9/9/9/3GK4 b - 1");
        assertThat(moves).contains("3c2d", "3c2d+", "3c4d+");
        assertThat(moves.stream().filter(m -> m.startsWith("6i") || m.startsWith("5i")))
                .allMatch(m -> !m.endsWith("+"));
    }

    @Test
    void noPromotionOutsideTheZone() {
        assertThat(usiMoves(Position.startpos()).stream().filter(m -> m.endsWith("+"))).isEmpty();
    }

    // ---- check, pins, evasions -----------------------------------------------------------------

    @Test
    void pinnedPieceMovesOnlyAlongThePin() {
        Set<String> rookMoves = usiMoves("4k4/4l4/9/9/9/9/4R4/9/4K4 b - 1").stream()
                .filter(m -> m.startsWith("5g")).collect(Collectors.toSet());
        assertThat(rookMoves).containsExactlyInAnyOrder(
                "5g5h", "5g5f", "5g5e", "5g5d", "5g5c", "5g5c+", "5g5b", "5g5b+");
        assertThat(usiMoves("4k4/9/9/9/4r4/9/4B4/9/4K4 b - 1").stream().filter(m -> m.startsWith("5g")))
                .isEmpty();
    }

    @Test
    void singleCheckIsAnsweredByKingMovesOrInterposition() {
        Position p = Position.fromSfen("4k4/9/9/9/4r4/9/9/9/4K4 b G 1");
        assertThat(p.isCheck()).isTrue();
        assertThat(usiMoves(p)).containsExactlyInAnyOrder(
                "G*5f", "G*5g", "G*5h", "5i4h", "5i4i", "5i6h", "5i6i");
    }

    @Test
    void doubleCheckAllowsOnlyKingMoves() {
        Position p = Position.fromSfen("4k4/9/9/9/4r4/9/5n3/9/4K4 b G 1");
        assertThat(usiMoves(p)).containsExactlyInAnyOrder("5i4h", "5i4i", "5i6h", "5i6i");
    }

    @Test
    void kingCannotRetreatAlongTheCheckingLine() {
        assertThat(usiMoves("4k4/9/9/9/4r4/9/9/4K4/9 b - 1")).doesNotContain("5h5i", "5h5g");
    }

    @Test
    void checkerCanBeCaptured() {
        // The gold on 4f may take the checking rook on 5e or block on 5f, nothing else.
        Set<String> moves = usiMoves("4k4/9/9/9/4r4/5G3/9/9/4K4 b - 1");
        assertThat(moves).contains("4f5e", "4f5f").doesNotContain("4f4e", "4f3f");
    }

    @Test
    void checkmateAndNoLegalMoves() {
        Position mated = Position.fromSfen("7nk/9/7GP/9/9/9/9/9/4K4 b - 1");
        mated.play(Usi.parse(mated, "1c1b+"));
        assertThat(mated.isCheckmate()).isTrue();
        assertThat(mated.hasLegalMove()).isFalse();

        Position stuck = Position.fromSfen("8k/9/9/9/9/9/2n6/8r/K8 b - 1");
        assertThat(stuck.isCheck()).isFalse();
        assertThat(stuck.hasLegalMove()).isFalse();
        assertThat(stuck.isCheckmate()).isFalse();
    }

    @Test
    void playAndUndoRestoreEverything() {
        for (String sfen : TestPositions.randomPositions(7, 20, 120)) {
            Position p = Position.fromSfen(sfen);
            assertThat(p.hash()).isEqualTo(Position.fromSfen(p.toSfen()).hash());
            MoveList list = new MoveList();
            p.legalMoves(list);
            for (int i = 0; i < list.size(); i++) {
                p.play(list.get(i));
                // The incremental hash must equal a hash computed from scratch.
                Position fresh = Position.fromSfen(p.toSfen());
                assertThat(p.hash()).isEqualTo(fresh.hash());
                p.undo();
                assertThat(p.toSfen()).isEqualTo(sfen);
            }
        }
    }
}
