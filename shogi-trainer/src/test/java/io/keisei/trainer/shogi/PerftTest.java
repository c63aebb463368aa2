package io.keisei.trainer.shogi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Perft against published numbers (start position: the standard shogi perft table; "matsuri" and
 * the 593-move position: the values used by several open-source shogi libraries).
 */
class PerftTest {
    static final String MATSURI = "l6nl/5+P1gk/2np1S3/p1p4Pp/3P2Sp1/1PPb2P1P/P5GS1/R8/LN4bKL w RGgsn5p 1";
    static final String MAX_MOVES = "R8/2K1S1SSk/4B4/9/9/9/9/9/1L1L1L3 b RBGSNLP3g3n17p 1";

    @ParameterizedTest(name = "start depth {0}")
    @CsvSource({
        "1, 30, 0, 0, 0, 0",
        "2, 900, 0, 0, 0, 0",
        "3, 25470, 59, 30, 48, 0",
        "4, 719731, 1803, 842, 1121, 0",
    })
    void startPosition(int depth, long nodes, long captures, long promotions, long checks, long mates) {
        Perft.Result r = Perft.run(Position.startpos(), depth);
        assertThat(r).isEqualTo(new Perft.Result(nodes, captures, promotions, checks, mates));
    }

    /** Depth 5 takes a couple of seconds; it is the number the task binds us to. */
    @Test
    void startPositionDepth5() {
        Perft.Result r = Perft.run(Position.startpos(), 5);
        assertThat(r).isEqualTo(new Perft.Result(19_861_490, 113_680, 57_214, 71_434, 0));
    }

    @Test
    void countAgreesWithRun() {
        assertThat(Perft.count(Position.startpos(), 4)).isEqualTo(719_731);
        assertThat(Perft.count(Position.fromSfen(MATSURI), 2)).isEqualTo(28_684);
    }

    @ParameterizedTest(name = "matsuri depth {0}")
    @CsvSource({"1, 207", "2, 28684", "3, 4809015"})
    void matsuri(int depth, long nodes) {
        assertThat(Perft.count(Position.fromSfen(MATSURI), depth)).isEqualTo(nodes);
    }

    @ParameterizedTest(name = "593-move position depth {0}")
    @CsvSource({"1, 593", "2, 105677"})
    void maxLegalMoves(int depth, long nodes) {
        assertThat(Perft.count(Position.fromSfen(MAX_MOVES), depth)).isEqualTo(nodes);
    }

    @Test
    void perftLeavesThePositionUnchanged() {
        Position p = Position.fromSfen(MATSURI);
        String before = p.toSfen();
        long hash = p.hash();
        Perft.run(p, 3);
        assertThat(p.toSfen()).isEqualTo(before);
        assertThat(p.hash()).isEqualTo(hash);
    }

    @Test
    void depthZeroIsOneNode() {
        assertThat(Perft.run(Position.startpos(), 0).nodes()).isEqualTo(1);
    }
}
