package io.keisei.bench.jmh;

import io.keisei.trainer.shogi.MoveList;
import io.keisei.trainer.shogi.Perft;
import io.keisei.trainer.shogi.Position;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** The built-in trainer's rules engine: legal moves of a busy middle-game position, and perft from the start. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MoveGenerationBenchmark {

    /** A middle game with pieces in hand for both sides (drops make move generation expensive). */
    static final String MIDDLE_GAME = "+P3s1+R1l/7b1/1pg1p1gp1/nPppk3P/L2P1P1n1/2P2LpPp/p2KP4/S3GSS1R/B1+n3GN1 w L2P 112";

    private final Position start = Position.startpos();
    private final Position middle = Position.fromSfen(MIDDLE_GAME);
    private final MoveList moves = new MoveList();

    @Benchmark
    public int legalMovesMiddleGame() {
        moves.clear();
        middle.legalMoves(moves);
        return moves.size();
    }

    @Benchmark
    public long perft3FromStart() {
        return Perft.count(start, 3);
    }
}
