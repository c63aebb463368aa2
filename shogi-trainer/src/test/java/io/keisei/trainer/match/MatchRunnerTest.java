package io.keisei.trainer.match;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.trainer.shogi.Game;
import io.keisei.trainer.shogi.GameResult;
import io.keisei.trainer.shogi.Position;
import io.keisei.trainer.shogi.Usi;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Games through {@link MatchRunner}: endings, colours, reproducibility and the players. */
class MatchRunnerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static PlayerSpec spec(String text) throws Exception {
        return PlayerSpec.parse(text, PlayerSpec.NetworkOptions.GREEDY);
    }

    /** A player that plays the given USI moves in turn, over and over, from each game's start; "resign" resigns. */
    static PlayerSpec script(String... moves) {
        return new PlayerSpec("script", () -> new Player() {
            private int next;

            @Override
            public void newGame(long seed) {
                next = 0;
            }

            @Override
            public int move(Game game) {
                String m = moves[next++ % moves.length];
                return m.equals("resign") ? RESIGN : Usi.parse(game.position(), m);
            }
        });
    }

    /** Black qualifies for the entering-king declaration (28 points, 10 pieces in the zone), see ImpasseTest. */
    static final String BLACK_28 = "+R+R+B6/GGGGK4/SSS6/9/9/9/9/9/4k4 b 6P 1";

    static MatchResult run(PlayerSpec a, PlayerSpec b, int games, long seed, int maxMoves) {
        return MatchRunner.run(a, b, new MatchRunner.Settings(games, seed, maxMoves, Position.START_SFEN, 1), null);
    }

    @Test
    void repeatingTheStartPositionFourTimesIsSennichite() {
        // A is Black in game 0: kings step up and back, the start position recurs every 4 plies
        MatchResult r = run(script("5i5h", "5h5i"), script("5a5b", "5b5a"), 1, 1, 500);
        MatchResult.GameRecord g = r.games().get(0);
        assertThat(g.result()).isEqualTo(new GameResult(GameResult.Outcome.DRAW, GameResult.Reason.SENNICHITE));
        assertThat(g.plies()).isEqualTo(12);
        assertThat(g.moves()).startsWith("5i5h", "5a5b", "5h5i", "5b5a");
        assertThat(r.draws()).isEqualTo(1);
    }

    @Test
    void theMoveLimitEndsInADraw() {
        MatchResult r = run(specUnchecked("random"), specUnchecked("random"), 4, 3, 10);
        assertThat(r.games()).allSatisfy(g -> {
            assertThat(g.reasonText()).isEqualTo("max_moves");
            assertThat(g.resultText()).isEqualTo("draw");
            assertThat(g.plies()).isEqualTo(10);
            assertThat(g.moves()).hasSize(10);
        });
        assertThat(r.draws()).isEqualTo(4);
        assertThat(r.aScore()).isEqualTo(0.5);
    }

    @Test
    void resigningLosesAndColoursAlternate() {
        // A resigns on its first turn, whichever colour it has
        MatchResult r = run(script("resign"), specUnchecked("random"), 4, 1, 500);
        for (MatchResult.GameRecord g : r.games()) {
            assertThat(g.aIsBlack()).as("game %d", g.index()).isEqualTo(g.index() % 2 == 0);
            assertThat(g.reasonText()).isEqualTo("resign");
            assertThat(g.winner()).isEqualTo("B");
            assertThat(g.resultText()).isEqualTo(g.aIsBlack() ? "white_win" : "black_win");
            assertThat(g.plies()).isEqualTo(g.aIsBlack() ? 0 : 1);
        }
        assertThat(r.bWins()).isEqualTo(4);
    }

    @Test
    void aQualifyingSideDeclaresTheImpasseBeforeMoving() {
        MatchResult r = MatchRunner.run(specUnchecked("random"), specUnchecked("random"),
                new MatchRunner.Settings(2, 1, 500, BLACK_28, 1), null);
        // Black (A in game 0, B in game 1) declares at once
        assertThat(r.games()).allSatisfy(g -> {
            assertThat(g.result()).isEqualTo(new GameResult(GameResult.Outcome.BLACK_WIN, GameResult.Reason.IMPASSE));
            assertThat(g.plies()).isZero();
            assertThat(g.startSfen()).isEqualTo(BLACK_28);
        });
        assertThat(r.aWins()).isEqualTo(1);
        assertThat(r.bWins()).isEqualTo(1);
    }

    @Test
    void theSameSeedGivesTheSameGamesAndAnotherSeedOthers() throws Exception {
        JsonNode first = games(run(spec("baseline:1"), spec("random"), 4, 11, 500));
        JsonNode again = games(run(spec("baseline:1"), spec("random"), 4, 11, 500));
        JsonNode other = games(run(spec("baseline:1"), spec("random"), 4, 12, 500));
        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        // and whatever the number of threads
        JsonNode threaded = games(MatchRunner.run(spec("baseline:1"), spec("random"),
                new MatchRunner.Settings(4, 11, 500, Position.START_SFEN, 2), null));
        assertThat(threaded).isEqualTo(first);
        // the baseline's tie-breaking depends on the seed too: its own games differ between seeds
        JsonNode b1 = games(run(spec("baseline:2"), spec("baseline:2"), 2, 1, 60));
        JsonNode b2 = games(run(spec("baseline:2"), spec("baseline:2"), 2, 2, 60));
        assertThat(b1).isNotEqualTo(b2);
        assertThat(games(run(spec("baseline:2"), spec("baseline:2"), 2, 1, 60))).isEqualTo(b1);
    }

    @Test
    void baselineTwoBeatsRandomClearly() throws Exception {
        MatchResult r = run(spec("baseline:2"), spec("random"), 20, 2026, 500);
        assertThat(r.aWins()).as(r.summaryLine()).isGreaterThanOrEqualTo(15);
    }

    @Test
    void aCheckpointPlaysRandomGreedilyOrSampling(@TempDir Path tmp) throws Exception {
        Path small = TinyCheckpoint.write(tmp.resolve("a"), 8, 1, true);
        Path deeper = TinyCheckpoint.write(tmp.resolve("b"), 16, 2, false);
        for (Path ckpt : List.of(small, deeper)) {
            MatchResult r = run(spec("checkpoint:" + ckpt), spec("random"), 2, 1, 200);
            assertThat(r.games()).hasSize(2);
            assertThat(r.games()).allSatisfy(g -> assertThat(g.result().isOver()).isTrue());
            assertThat(games(run(spec("checkpoint:" + ckpt), spec("random"), 2, 1, 200))).isEqualTo(games(r));
        }
        PlayerSpec sampling = PlayerSpec.parse("checkpoint:" + small, new PlayerSpec.NetworkOptions(1.0, Double.NaN));
        MatchResult s1 = run(sampling, spec("random"), 2, 1, 200);
        assertThat(games(run(sampling, spec("random"), 2, 1, 200))).isEqualTo(games(s1));
        assertThat(games(s1)).isNotEqualTo(games(run(spec("checkpoint:" + small), spec("random"), 2, 1, 200)));
    }

    @Test
    void aNetworkResignsAfterThreeTurnsBelowTheThreshold(@TempDir Path tmp) throws Exception {
        Path lost = TinyCheckpoint.write(tmp.resolve("lost"), 8, 1, false, -20f);
        Path won = TinyCheckpoint.write(tmp.resolve("won"), 8, 1, false, 20f);
        PlayerSpec resigning = PlayerSpec.parse("checkpoint:" + lost, new PlayerSpec.NetworkOptions(0, 0.5));
        MatchResult r = run(resigning, spec("random"), 2, 1, 500);
        // its third turn: ply 4 as Black, ply 5 as White
        assertThat(r.games()).extracting(MatchResult.GameRecord::reasonText).containsExactly("resign", "resign");
        assertThat(r.games()).extracting(MatchResult.GameRecord::plies).containsExactly(4, 5);
        assertThat(r.bWins()).isEqualTo(2);
        // off by default; and a model that thinks it is winning never resigns
        assertThat(run(spec("checkpoint:" + lost), spec("random"), 2, 1, 40).games())
                .extracting(MatchResult.GameRecord::reasonText).doesNotContain("resign");
        assertThat(run(PlayerSpec.parse("checkpoint:" + won, new PlayerSpec.NetworkOptions(0, 0.5)), spec("random"), 2, 1, 40)
                .games()).extracting(MatchResult.GameRecord::reasonText).doesNotContain("resign");
    }

    @Test
    void badPlayersAreRefused(@TempDir Path tmp) {
        for (String bad : List.of("", "stockfish", "baseline:0", "baseline:x", "baseline:99", "checkpoint:")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> spec(bad)).as(bad)
                    .isInstanceOf(PlayerSpec.BadSpecException.class);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> spec("checkpoint:" + tmp.resolve("missing.kshogi")))
                .isInstanceOf(io.keisei.trainer.run.CheckpointFile.CheckpointException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void theListenerSeesEveryPlyAndTheEnd() {
        List<String> seen = new ArrayList<>();
        MatchRunner.run(specUnchecked("random"), specUnchecked("random"), new MatchRunner.Settings(2, 1, 6, Position.START_SFEN, 1),
                (index, game, moves) -> seen.add(index + ":" + game.moveCount() + ":" + moves.size() + ":" + game.result().isOver()));
        assertThat(seen).containsExactly("0:0:0:false", "0:1:1:false", "0:2:2:false", "0:3:3:false", "0:4:4:false",
                "0:5:5:false", "0:6:6:true", "1:0:0:false", "1:1:1:false", "1:2:2:false", "1:3:3:false", "1:4:4:false",
                "1:5:5:false", "1:6:6:true");
    }

    private static PlayerSpec specUnchecked(String text) {
        try {
            return spec(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode games(MatchResult r) {
        return r.toJson(JSON, null).get("games");
    }
}
