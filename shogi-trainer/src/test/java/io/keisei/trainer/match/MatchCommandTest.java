package io.keisei.trainer.match;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.contracts.GameState;
import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.Streams;
import io.keisei.contracts.TrainerExitCodes;
import io.keisei.infra.RedisServer;
import io.keisei.trainer.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;

/** {@code match} on the command line, run in-process through {@link Main#run}. */
class MatchCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void jsonOnStdoutAndTheSummaryOnStderr() throws Exception {
        Run r = run("match", "--player-a", "baseline:1", "--player-b", "random", "--games", "3", "--seed", "5");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.has("evaluation")).isFalse();
        assertThat(doc.path("playerA").asText()).isEqualTo("baseline:1");
        assertThat(doc.path("playerB").asText()).isEqualTo("random");
        assertThat(doc.path("games")).hasSize(3);
        JsonNode g0 = doc.path("games").get(0);
        assertThat(g0.path("index").asInt()).isZero();
        assertThat(g0.path("black").asText()).isEqualTo("A");
        assertThat(g0.path("white").asText()).isEqualTo("B");
        assertThat(doc.path("games").get(1).path("black").asText()).isEqualTo("B");
        assertThat(g0.path("result").asText()).isIn("black_win", "white_win", "draw");
        assertThat(g0.path("reason").asText()).matches("[a-z_]+");
        assertThat(g0.path("moves")).hasSize(g0.path("plies").asInt());
        assertThat(g0.path("moves").get(0).asText()).matches("[1-9][a-i][1-9][a-i]\\+?|[PLNSGBR]\\*[1-9][a-i]");
        assertThat(g0.path("startSfen").asText()).isEqualTo(io.keisei.trainer.shogi.Position.START_SFEN);
        JsonNode s = doc.path("summary");
        assertThat(s.path("aWins").asInt() + s.path("bWins").asInt() + s.path("draws").asInt()).isEqualTo(3);
        assertThat(s.path("games").asInt()).isEqualTo(3);
        assertThat(s.path("seconds").isNumber()).isTrue();
        assertThat(s.path("gamesPerSecond").isNumber()).isTrue();
        assertThat(r.err().strip()).startsWith("match: A=baseline:1 B=random games=3 ").doesNotContain("\n");
    }

    @Test
    void outWritesTheFileAndPrintsTheSummary(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("sub/result.json");
        // as training-service runs it for an evaluation without a session
        Run r = run("match", "--player-a=random", "--player-b=random", "--games=2", "--max-moves=8", "--out", file.toString(),
                "--evaluation", "eval-1234");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip()).startsWith("match: A=random B=random games=2 A wins 0, B wins 0, draws 2");
        JsonNode doc = JSON.readTree(Files.readString(file));
        assertThat(doc.at("/summary/draws").asInt()).isEqualTo(2);
        assertThat(doc.at("/summary/reasons/max_moves").asInt()).isEqualTo(2);
        assertThat(doc.path("evaluation").asText()).isEqualTo("eval-1234");
    }

    @Test
    void badArgumentsGiveOneLineAndExitCode2() {
        String[][] cases = {
            {"match"},
            {"match", "--player-a", "random"},
            {"match", "--player-a", "random", "--player-b", "alphazero"},
            {"match", "--player-a", "random", "--player-b", "random", "--games", "x"},
            {"match", "--player-a", "random", "--player-b", "random", "--games", "-1"},
            {"match", "--player-a", "random", "--player-b", "random", "--max-moves", "0"},
            {"match", "--player-a", "random", "--player-b", "random", "--resign-threshold", "2"},
            {"match", "--player-a", "random", "--player-b", "random", "--temperature", "-1"},
            {"match", "--player-a", "random", "--player-b", "random", "--start-sfen", "nonsense"},
            {"match", "--player-a", "random", "--player-b", "random", "--redis", "redis://localhost:1"},
            {"match", "--player-a", "random", "--player-b", "random", "--session", "s", "--redis", "http://x"},
            {"match", "--player-a", "random", "--player-b", "random", "--session", "s", "--redis", "redis://x:1",
                "--evaluation", "a:b"},
            {"match", "--player-a", "random", "--player-b", "random", "--evaluation", "a b"},
            {"match", "--player-a", "random", "--player-b", "random", "--bogus", "1"},
            {"match", "--player-a", "random", "--player-b", "random", "--games"},
        };
        for (String[] args : cases) {
            Run r = run(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(TrainerExitCodes.BAD_CONFIG);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().split("\\R")).as(r.err()).hasSize(1);
        }
    }

    @Test
    void anUnusableCheckpointExitsWith3(@TempDir Path tmp) throws Exception {
        Path junk = Files.writeString(tmp.resolve("junk.kshogi"), "not a checkpoint");
        for (String p : List.of(tmp.resolve("missing.kshogi").toString(), junk.toString())) {
            Run r = run("match", "--player-a", "checkpoint:" + p, "--player-b", "random");
            assertThat(r.code()).as(r.err()).isEqualTo(TrainerExitCodes.BAD_CHECKPOINT);
            assertThat(r.err().split("\\R")).as(r.err()).hasSize(1);
        }
    }

    @Test
    void aCheckpointAgainstRandom(@TempDir Path tmp) throws Exception {
        Path ckpt = TinyCheckpoint.write(tmp, 8, 1, false);
        Run r = run("match", "--player-a", "checkpoint:" + ckpt, "--player-b", "random", "--games", "2",
                "--resign-threshold", "0.99", "--temperature", "0.5");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out()).path("games")).hasSize(2);
    }

    @Test
    void withASessionTheGamesArePublishedAsEvaluationGames(@TempDir Path tmp) throws Exception {
        RedisServer server = RedisServer.start(null, 0);
        try (JedisPooled redis = new JedisPooled(URI.create(server.url()))) {
            String session = "s-match";
            // a training attempt's heartbeat that the match must leave alone
            redis.setex(Streams.heartbeat(session), 60, "123");
            Run r = run("match", "--player-a", "baseline:1", "--player-b", "random", "--games", "3", "--max-moves", "30",
                    "--session", session, "--redis", server.url(), "--evaluation", "e1", "--out", tmp.resolve("r.json").toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out().strip()).startsWith("match: A=baseline:1 B=random games=3");
            List<GameState> states = redis.xrange(Streams.GAMES, "-", "+").stream()
                    .map(e -> StreamCodec.fromEntry(e.getFields(), GameState.class)).toList();
            assertThat(states).isNotEmpty().allSatisfy(g -> {
                assertThat(g.session()).isEqualTo(session);
                assertThat(g.gameId()).matches("eval:e1:[0-2]");
            });
            JsonNode doc = JSON.readTree(Files.readString(tmp.resolve("r.json")));
            assertThat(doc.path("evaluation").asText()).isEqualTo("e1");
            for (int i = 0; i < 3; i++) {
                String id = "eval:e1:" + i;
                GameState last = states.stream().filter(g -> g.gameId().equals(id)).reduce((x, y) -> y).orElseThrow();
                JsonNode game = doc.path("games").get(i);
                assertThat(last.result()).isEqualTo(game.path("result").asText() + ":" + game.path("reason").asText());
                assertThat(last.ply()).isEqualTo(game.path("plies").asInt());
                assertThat(last.moves()).hasSize(game.path("plies").asInt());
            }
            assertThat(redis.exists(Streams.heartbeat(session))).as("heartbeat left alone").isTrue();
        } finally {
            server.close();
        }
    }
}
