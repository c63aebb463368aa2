package io.keisei.trainer.shogi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GameTest {
    /** Rooks step aside and back: the start position recurs every 4 moves with no checks. */
    static final String[] SHUFFLE = {"2h3h", "8b7b", "3h2h", "7b8b"};

    static Game playAll(Game g, String... moves) {
        for (String m : moves) {
            g.playUsi(m);
        }
        return g;
    }

    @Test
    void newGameIsOngoingWithThirtyMoves() {
        Game g = new Game();
        assertThat(g.result()).isEqualTo(GameResult.ONGOING);
        assertThat(g.legalMoves().size()).isEqualTo(30);
        assertThat(g.maxMoves()).isEqualTo(Game.DEFAULT_MAX_MOVES);
    }

    @Test
    void checkmateEndsTheGame() {
        Game g = new Game(Position.fromSfen("7nk/9/7GP/9/9/9/9/9/4K4 b - 1"), 500);
        GameResult r = g.playUsi("1c1b+");
        assertThat(r).isEqualTo(new GameResult(GameResult.Outcome.BLACK_WIN, GameResult.Reason.CHECKMATE));
        assertThat(r.winner()).isEqualTo(Piece.BLACK);
        assertThat(g.isOver()).isTrue();
        assertThat(g.legalMoves().isEmpty()).isTrue();
        assertThatThrownBy(() -> g.playUsi("1a2b")).isInstanceOf(IllegalStateException.class);
        g.undo();
        assertThat(g.result()).isEqualTo(GameResult.ONGOING);
    }

    @Test
    void noLegalMoveWithoutCheckAlsoLoses() {
        Game g = new Game(Position.fromSfen("8k/9/9/9/9/9/2n6/8r/K8 b - 1"), 500);
        assertThat(g.result()).isEqualTo(new GameResult(GameResult.Outcome.WHITE_WIN, GameResult.Reason.NO_LEGAL_MOVES));
    }

    @Test
    void fourfoldRepetitionIsADraw() {
        Game g = new Game();
        for (int cycle = 0; cycle < 3; cycle++) {
            for (int i = 0; i < 4; i++) {
                assertThat(g.result().isOver()).isFalse();
                g.playUsi(SHUFFLE[i]);
            }
        }
        assertThat(g.moveCount()).isEqualTo(12);
        assertThat(g.result()).isEqualTo(new GameResult(GameResult.Outcome.DRAW, GameResult.Reason.SENNICHITE));
        assertThat(g.result().winner()).isEqualTo(-1);
        assertThatThrownBy(() -> g.playUsi("7g7f")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void perpetualCheckLosesForTheChecker() {
        Game black = new Game(Position.fromSfen("8k/9/9/9/9/9/9/9/K6R1 b - 1"), 500);
        for (int cycle = 0; cycle < 3; cycle++) {
            assertThat(black.isOver()).isFalse();
            playAll(black, "2i1i", "1a2a", "1i2i", "2a1a");
        }
        assertThat(black.result())
                .isEqualTo(new GameResult(GameResult.Outcome.WHITE_WIN, GameResult.Reason.PERPETUAL_CHECK));

        Game white = new Game(Position.fromSfen("1r6k/9/9/9/9/9/9/9/K8 w - 1"), 500);
        for (int cycle = 0; cycle < 3; cycle++) {
            assertThat(white.isOver()).isFalse();
            playAll(white, "8a9a", "9i8i", "9a8a", "8i9i");
        }
        assertThat(white.result())
                .isEqualTo(new GameResult(GameResult.Outcome.BLACK_WIN, GameResult.Reason.PERPETUAL_CHECK));
    }

    @Test
    void maxMovesIsADraw() {
        Game g = new Game(Position.startpos(), 10);
        for (int i = 0; i < 9; i++) {
            g.playUsi(SHUFFLE[i % 4]);
        }
        assertThat(g.isOver()).isFalse();
        g.playUsi(SHUFFLE[9 % 4]);
        assertThat(g.result()).isEqualTo(new GameResult(GameResult.Outcome.DRAW, GameResult.Reason.MAX_MOVES));
    }

    @Test
    void rejectsIllegalMovesAndKeepsItsOwnCopy() {
        Position start = Position.startpos();
        Game g = new Game(start, 500);
        assertThatThrownBy(() -> g.playUsi("7g7e")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> g.play(Move.NONE)).isInstanceOf(IllegalArgumentException.class);
        g.playUsi("7g7f");
        assertThat(start.toSfen()).isEqualTo(Position.START_SFEN);
        assertThat(g.position().sideToMove()).isEqualTo(Piece.WHITE);
        assertThat(g.moves()).hasSize(1);
        g.undo();
        assertThat(g.position().toSfen()).isEqualTo(Position.START_SFEN);
    }

    @Test
    void undoAcrossARepetitionReopensTheGame() {
        Game g = new Game();
        for (int i = 0; i < 12; i++) {
            g.playUsi(SHUFFLE[i % 4]);
        }
        assertThat(g.isOver()).isTrue();
        g.undo();
        assertThat(g.isOver()).isFalse();
        g.playUsi(SHUFFLE[3]);
        assertThat(g.result().reason()).isEqualTo(GameResult.Reason.SENNICHITE);
    }
}
