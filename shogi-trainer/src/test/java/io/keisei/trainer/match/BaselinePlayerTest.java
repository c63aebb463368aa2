package io.keisei.trainer.match;

import static org.assertj.core.api.Assertions.assertThat;

import io.keisei.trainer.shogi.Game;
import io.keisei.trainer.shogi.GameResult;
import io.keisei.trainer.shogi.Position;
import io.keisei.trainer.shogi.Usi;
import org.junit.jupiter.api.Test;

class BaselinePlayerTest {

    @Test
    void theEvaluationIsSymmetric() {
        assertThat(BaselinePlayer.evaluate(Position.startpos())).isZero();
        // Black to move, a rook up
        Position up = Position.fromSfen("4k4/9/9/9/3R5/9/9/9/K8 b - 1");
        assertThat(BaselinePlayer.evaluate(up)).isGreaterThan(900);
        assertThat(BaselinePlayer.evaluate(Position.fromSfen("4k4/9/9/9/3R5/9/9/9/K8 w - 1")))
                .isEqualTo(-BaselinePlayer.evaluate(up));
        // a piece in hand is worth a little more than on the board
        assertThat(BaselinePlayer.evaluate(Position.fromSfen("4k4/9/9/9/9/9/9/9/K8 b R 1"))).isGreaterThan(
                BaselinePlayer.VALUE[io.keisei.trainer.shogi.Piece.ROOK]);
    }

    @Test
    void itMatesInOneAtEveryDepth() {
        for (int depth = 1; depth <= 3; depth++) {
            Game g = new Game(Position.fromSfen("7nk/9/7GP/9/9/9/9/9/4K4 b - 1"), 500);
            BaselinePlayer p = new BaselinePlayer(depth);
            p.newGame(depth);
            assertThat(Usi.format(p.move(g))).as("depth %d", depth).isEqualTo("1c1b+");
        }
    }

    @Test
    void itNeverCompletesALosingPerpetualCheck() {
        // Black, far behind (White has two bishops and two golds in hand) and so glad of a draw, checks the
        // king with its rook back and forth between files 5 and 4. The 13th move, 4e5e, would bring the
        // position after 6e5e a 4th time with every Black move a check: not a draw but a loss for Black.
        Game g = new Game(Position.fromSfen("4k4/9/9/9/3R5/9/9/9/K8 b 2b2g 1"), 500);
        assertThat(BaselinePlayer.evaluate(g.position())).isNegative();
        for (int i = 0; i < 3; i++) {
            for (String m : new String[] {i == 0 ? "6e5e" : "4e5e", "5a4a", "5e4e", "4a5a"}) {
                g.playUsi(m);
            }
        }
        int losing = Usi.parse(g.position(), "4e5e");
        assertThat(g.resultAfter(losing)).isEqualTo(new GameResult(GameResult.Outcome.WHITE_WIN, GameResult.Reason.PERPETUAL_CHECK));
        assertThat(g.moveCount()).as("resultAfter leaves the game as it was").isEqualTo(12);
        assertThat(g.isOver()).isFalse();
        for (int depth = 1; depth <= 3; depth++) {
            BaselinePlayer p = new BaselinePlayer(depth);
            for (long seed = 0; seed < 5; seed++) {
                p.newGame(seed);
                assertThat(p.move(g)).as("depth %d seed %d", depth, seed).isNotEqualTo(losing);
            }
        }
    }
}
