package io.keisei.metrics;

import io.keisei.contracts.GameState;
import io.keisei.contracts.api.GamePosition;
import io.keisei.metrics.GamePlan.Key;
import io.keisei.metrics.GamePlan.Stored;
import io.keisei.metrics.GamePlan.Write;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which game state wins and which positions are kept, without a database. */
class GamePlanTest {

    static final Key KEY = new Key("s", "selfplay-1");

    @Test
    void aNewGameTakesTheNewestStateAndEveryPositionOfTheBatch() {
        List<Write> writes = GamePlan.of(List.of(
                state(2, 300, "a", "b"),
                state(0, 100),
                state(1, 200, "a"),
                state(1, 200, "a")), Map.of()); // a duplicate
        assertThat(writes).singleElement().satisfies(w -> {
            assertThat(w.id()).isNull();
            assertThat(w.latest().ply()).isEqualTo(2);
            assertThat(w.startedMillis()).isEqualTo(100);
            assertThat(w.dropPositionsAbove()).isNull();
            assertThat(w.positions()).extracting(GamePosition::ply).containsExactly(0, 1, 2);
        });
    }

    @Test
    void aRedeliveredOlderStateChangesNothingButItsPositionAndTheStart() {
        Stored stored = new Stored(42, 200, 300, 2, false, List.of("a", "b"));
        Write w = GamePlan.of(List.of(state(1, 150, "a")), Map.of(KEY, stored)).get(0);
        assertThat(w.id()).isEqualTo(42);
        assertThat(w.latest()).isNull();
        assertThat(w.startedMillis()).isEqualTo(150);
        assertThat(w.dropPositionsAbove()).isNull();
        assertThat(w.positions()).extracting(GamePosition::ply).containsExactly(1);

        Write again = GamePlan.of(List.of(state(2, 300, "a", "b")), Map.of(KEY, stored)).get(0);
        assertThat(again.latest()).as("the same state again").isNull();
        assertThat(again.startedMillis()).isEqualTo(200);
    }

    @Test
    void atTheSameTimeTheHigherPlyThenTheFinishedStateWins() {
        Stored running = new Stored(1, 100, 300, 2, false, List.of("a", "b"));
        assertThat(GamePlan.of(List.of(state(3, 300, "a", "b", "c")), Map.of(KEY, running)).get(0).latest()).isNotNull();
        GameState finished = new GameState(1, "s", "selfplay-1", 2, "sfen 2", "b", "black", List.of("a", "b"), "draw:max_moves", 300);
        assertThat(GamePlan.of(List.of(finished), Map.of(KEY, running)).get(0).latest()).isEqualTo(finished);
        Stored over = new Stored(1, 100, 300, 2, true, List.of("a", "b"));
        assertThat(GamePlan.of(List.of(state(2, 300, "a", "b")), Map.of(KEY, over)).get(0).latest()).isNull();
    }

    @Test
    void aReusedGameIdDropsTheOldGamesPositionsAfterTheCommonPrefix() {
        Stored old = new Stored(7, 100, 500, 3, false, List.of("a", "b", "c"));
        Write w = GamePlan.of(List.of(state(2, 900, "a", "x")), Map.of(KEY, old)).get(0);
        assertThat(w.latest().moves()).containsExactly("a", "x");
        assertThat(w.dropPositionsAbove()).isEqualTo(1);
        assertThat(w.startedMillis()).as("the new game's start, not the old one's").isEqualTo(900);
        assertThat(w.positions()).extracting(GamePosition::ply).containsExactly(2);
    }

    @Test
    void lateStatesOfAnotherGameUnderTheSameIdAreIgnored() {
        Stored current = new Stored(7, 900, 1_000, 2, false, List.of("a", "x"));
        Write w = GamePlan.of(List.of(state(3, 600, "a", "b", "c")), Map.of(KEY, current)).get(0);
        assertThat(w.latest()).isNull();
        assertThat(w.positions()).isEmpty();
        assertThat(w.startedMillis()).isEqualTo(900);
        assertThat(w.dropPositionsAbove()).isNull();
    }

    static GameState state(int ply, long time, String... moves) {
        return new GameState(1, "s", "selfplay-1", ply, "sfen " + ply, moves.length == 0 ? null : moves[moves.length - 1],
                ply % 2 == 0 ? "black" : "white", List.of(moves), null, time);
    }
}
