package io.keisei.trainer.shogi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SfenTest {

    @Test
    void startPositionRoundTrips() {
        Position p = Position.startpos();
        assertThat(p.toSfen()).isEqualTo(Position.START_SFEN);
        assertThat(p.sideToMove()).isEqualTo(Piece.BLACK);
        assertThat(p.pieceAt(Square.parseUsi("5i", 0))).isEqualTo(Piece.make(Piece.BLACK, Piece.KING));
        assertThat(p.pieceAt(Square.parseUsi("8b", 0))).isEqualTo(Piece.make(Piece.WHITE, Piece.ROOK));
        assertThat(p.pieceAt(Square.parseUsi("2b", 0))).isEqualTo(Piece.make(Piece.WHITE, Piece.BISHOP));
        assertThat(p.moveNumber()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        PerftTest.MATSURI,
        PerftTest.MAX_MOVES,
        "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL w - 2",
        "+P+R1+Lg1kn1/1+P1s3g1/5+P1+P1/Pp2gPnPl/L8/SPP2Sp2/+b2K1G1p1/4P4/5+p+pNL w NPrbs2p 148",
        "8k/9/9/9/9/9/9/9/K8 b 2R2B4G4S4N4L18P 1",
        "8k/9/9/9/9/9/9/9/K8 w 2r2b4g4s4n4l18p 7",
    })
    void roundTrips(String sfen) {
        assertThat(Position.fromSfen(sfen).toSfen()).isEqualTo(sfen);
    }

    @Test
    void randomPositionsRoundTrip() {
        for (String sfen : TestPositions.randomPositions(3, 20, 150)) {
            assertThat(Position.fromSfen(sfen).toSfen()).isEqualTo(sfen);
        }
    }

    @Test
    void handsAcceptAnyOrderAndCountsAndFormatCanonically() {
        Position p = Position.fromSfen("4k4/9/9/9/9/9/9/9/4K4 b 2P3pb 1");
        assertThat(p.handCount(Piece.BLACK, Piece.PAWN)).isEqualTo(2);
        assertThat(p.handCount(Piece.WHITE, Piece.PAWN)).isEqualTo(3);
        assertThat(p.handCount(Piece.WHITE, Piece.BISHOP)).isEqualTo(1);
        assertThat(p.toSfen()).isEqualTo("4k4/9/9/9/9/9/9/9/4K4 b 2Pb3p 1");
        assertThat(Position.fromSfen("4k4/9/9/9/9/9/9/9/4K4 b 10p 1").handCount(Piece.WHITE, Piece.PAWN)).isEqualTo(10);
    }

    @Test
    void moveNumberIsOptionalAndAdvances() {
        Position p = Position.fromSfen("lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b -");
        assertThat(p.moveNumber()).isEqualTo(1);
        p.play(Usi.parse(p, "7g7f"));
        assertThat(p.toSfen()).isEqualTo("lnsgkgsnl/1r5b1/ppppppppp/9/9/2P6/PP1PPPPPP/1B5R1/LNSGKGSNL w - 2");
    }

    @Test
    void capturesGoToHandUnpromoted() {
        Position p = Position.startpos();
        for (String m : new String[] {"7g7f", "3c3d", "8h2b+", "3a2b"}) {
            p.play(Usi.parse(p, m));
        }
        assertThat(p.toSfen()).isEqualTo("lnsgkg1nl/1r5s1/pppppp1pp/6p2/9/2P6/PP1PPPPPP/7R1/LNSGKGSNL b Bb 5");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1 b - 1",          // 8 ranks
        "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSN b - 1",  // short rank
        "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R2/LNSGKGSNL b - 1", // long rank
        "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNX b - 1", // bad letter
        "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNS+GKGSNL b - 1", // promoted gold
        "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSG+KGSNL b - 1", // promoted king
        "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSN+ b - 1",  // dangling +
        "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL x - 1", // bad side
        "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b K 1", // king in hand
        "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b P 1", // 19 pawns
        "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b 2 1", // count without piece
        "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - 0", // move number 0
        "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - x", // move number text
        "lnsgkgsnl/1r5b1/ppppppppp/9/9/9/PPPPPPPPP/1B5R1/LNSGKGSNL b - 1 extra",
        "P3k4/9/9/9/9/9/9/9/4K4 b - 1",   // black pawn on the last rank
        "4k4/N8/9/9/9/9/9/9/4K4 b - 1",   // black knight on the second-to-last rank
        "4k4/9/9/9/9/4P4/4P4/9/4K4 b - 1", // nifu on the board
        "4k4/9/9/9/9/9/9/9/3KK4 b - 1",   // two black kings
    })
    void rejectsInvalid(String sfen) {
        assertThatThrownBy(() -> Position.fromSfen(sfen)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsSideNotToMoveInCheck() {
        // White king on 5a attacked by a black rook on 5e while it is Black's move.
        assertThatThrownBy(() -> Position.fromSfen("4k4/9/9/9/4R4/9/9/9/4K4 b - 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("check");
        assertThat(Position.fromSfen("4k4/9/9/9/4R4/9/9/9/4K4 w - 1").isCheck()).isTrue();
    }
}
