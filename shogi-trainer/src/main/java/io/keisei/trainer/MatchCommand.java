package io.keisei.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.contracts.GameState;
import io.keisei.contracts.Streams;
import io.keisei.contracts.TrainerExitCodes;
import io.keisei.trainer.match.MatchResult;
import io.keisei.trainer.match.MatchRunner;
import io.keisei.trainer.match.PlayerSpec;
import io.keisei.trainer.run.CheckpointFile;
import io.keisei.trainer.run.GameStateThrottle;
import io.keisei.trainer.run.StreamLink;
import io.keisei.trainer.run.TrainArgs;
import io.keisei.trainer.shogi.Game;
import io.keisei.trainer.shogi.GameResult;
import io.keisei.trainer.shogi.Piece;
import io.keisei.trainer.shogi.Position;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code match}: plays games between two players and reports the results as JSON
 * ({@link MatchResult#toJson}); see {@link #USAGE} and {@link MatchRunner} for the rules.
 *
 * <p>The JSON goes to {@code --out FILE}, or to stdout without it; the one-line summary goes to
 * stdout when the JSON is in a file, to stderr otherwise (stdout then stays valid JSON). With
 * {@code --session} the games are also published on {@code keisei:games} like training's games
 * (throttled the same way, every final position included), as game ids
 * {@code eval:<evaluation>:<index>} so that consumers can tell them from self-play games
 * ({@code --evaluation} names the evaluation, a random id without it; it is also recorded in the JSON).
 *
 * <p>Exit codes ({@link TrainerExitCodes}): 0 done, 2 bad arguments (one line on stderr), 3 an
 * unusable checkpoint, 4 Redis unreachable, 1 any other failure.
 */
final class MatchCommand {
    static final String USAGE = "match --player-a P --player-b P [--games N] [--seed S] [--max-moves M]"
            + " [--resign-threshold V] [--temperature T] [--threads N] [--start-sfen SFEN] [--out FILE]"
            + " [--evaluation ID] [--session ID [--redis URL]]"
            + "  (P: random | baseline[:DEPTH] | checkpoint:PATH)";
    static final String GAME_ID_PREFIX = "eval:";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    MatchCommand(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return new MatchCommand(out, err, System.getenv()).run(args);
    }

    /** Invalid arguments; the message is one line for the user. */
    private static final class Usage extends Exception {
        Usage(String message) {
            super(message);
        }
    }

    private record Args(String playerA, String playerB, int games, long seed, int maxMoves, double resignThreshold,
                        double temperature, int threads, String startSfen, Path outFile, String session, String redis,
                        String evaluation) {
    }

    int run(String[] argv) {
        Args a;
        try {
            a = parse(argv);
        } catch (Usage e) {
            err.println("match: " + e.getMessage());
            return TrainerExitCodes.BAD_CONFIG;
        }
        PlayerSpec.NetworkOptions options = new PlayerSpec.NetworkOptions(a.temperature(), a.resignThreshold());
        PlayerSpec pa;
        PlayerSpec pb;
        try {
            pa = PlayerSpec.parse(a.playerA(), options);
            pb = PlayerSpec.parse(a.playerB(), options);
        } catch (PlayerSpec.BadSpecException e) {
            err.println("match: " + e.getMessage());
            return TrainerExitCodes.BAD_CONFIG;
        } catch (CheckpointFile.CheckpointException e) {
            err.println("match: " + e.getMessage());
            return TrainerExitCodes.BAD_CHECKPOINT;
        }

        StreamLink link = null;
        MatchRunner.Listener listener = null;
        if (a.session() != null) {
            try {
                link = StreamLink.connect(a.redis(), a.session(), Duration.ofSeconds(envLong("KEISEI_TRAINER_REDIS_RETRY_SECONDS", 10)),
                        (int) envLong("KEISEI_TRAINER_BUFFER_MESSAGES", 10_000), Duration.ofSeconds(10),
                        Streams.MaxLengths.fromEnvironment(env));
            } catch (IllegalArgumentException e) {
                err.println("match: " + e.getMessage());
                return TrainerExitCodes.BAD_CONFIG;
            } catch (IllegalStateException e) {
                err.println("match: " + e.getMessage());
                return TrainerExitCodes.REDIS_UNAVAILABLE;
            }
            listener = publisher(link, a.session(), a.evaluation());
        }

        try {
            MatchResult result = MatchRunner.run(pa, pb,
                    new MatchRunner.Settings(a.games(), a.seed(), a.maxMoves(), a.startSfen(), a.threads()), listener);
            String json = JSON.writeValueAsString(result.toJson(JSON, a.evaluation()));
            if (a.outFile() != null) {
                Path parent = a.outFile().toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                // Whoever reads the file (training-service, after a restart too) sees the whole result or none.
                Path partial = a.outFile().resolveSibling(a.outFile().getFileName() + ".partial");
                Files.writeString(partial, json + System.lineSeparator());
                Files.move(partial, a.outFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                out.println(result.summaryLine());
            } else {
                out.println(json);
                err.println(result.summaryLine());
            }
            return TrainerExitCodes.OK;
        } catch (IOException | RuntimeException e) {
            err.println("match: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return TrainerExitCodes.FAILED;
        } finally {
            if (link != null) {
                link.close(Duration.ofSeconds(10));
            }
        }
    }

    /** Publishes the games' states as evaluation games, through the same throttle as training's games. */
    static MatchRunner.Listener publisher(StreamLink link, String session, String evaluation) {
        GameStateThrottle throttle = new GameStateThrottle(100);
        return (index, game, moves) -> {
            GameResult r = game.result();
            if (!throttle.allow(r.isOver(), System.nanoTime())) {
                return;
            }
            Position pos = game.position();
            String result = r.isOver() ? r.outcome().name().toLowerCase(Locale.ROOT) + ":" + r.reason().name().toLowerCase(Locale.ROOT) : null;
            link.publish(Streams.GAMES, new GameState(GameState.VERSION, session, gameId(evaluation, index), game.moveCount(),
                    pos.toSfen(), moves.isEmpty() ? null : moves.get(moves.size() - 1),
                    pos.sideToMove() == Piece.BLACK ? "black" : "white", moves, result, System.currentTimeMillis()));
        };
    }

    static String gameId(String evaluation, int index) {
        return GAME_ID_PREFIX + evaluation + ":" + index;
    }

    private Args parse(String[] argv) throws Usage {
        String playerA = null;
        String playerB = null;
        int games = 10;
        long seed = 42;
        int maxMoves = Game.DEFAULT_MAX_MOVES;
        double resign = Double.NaN;
        double temperature = 0;
        int threads = 1;
        String sfen = Position.START_SFEN;
        Path outFile = null;
        String session = null;
        String redis = null;
        String evaluation = null;
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else {
                if (!arg.startsWith("--")) {
                    throw new Usage("unexpected argument '" + arg + "'; usage: " + USAGE);
                }
                if (i + 1 >= argv.length) {
                    throw new Usage(name + " needs a value; usage: " + USAGE);
                }
                value = argv[++i];
            }
            switch (name) {
                case "--player-a" -> playerA = value;
                case "--player-b" -> playerB = value;
                case "--games" -> games = intIn(name, value, 0, 1_000_000);
                case "--seed" -> seed = longOf(name, value);
                case "--max-moves" -> maxMoves = intIn(name, value, 1, 100_000);
                case "--resign-threshold" -> {
                    resign = doubleOf(name, value);
                    if (!(resign > 0 && resign <= 1)) {
                        throw new Usage("--resign-threshold must be in (0, 1] (a value estimate in -1..1), was " + value);
                    }
                }
                case "--temperature" -> {
                    temperature = doubleOf(name, value);
                    if (!(temperature >= 0 && temperature <= 100)) {
                        throw new Usage("--temperature must be in [0, 100] (0: greedy), was " + value);
                    }
                }
                case "--threads" -> threads = intIn(name, value, 1, 256);
                case "--start-sfen" -> sfen = value;
                case "--out" -> outFile = Path.of(value);
                case "--session" -> session = value;
                case "--redis" -> redis = value;
                case "--evaluation" -> evaluation = value;
                default -> throw new Usage("unknown argument '" + name + "'; usage: " + USAGE);
            }
        }
        if (playerA == null || playerB == null) {
            throw new Usage("--player-a and --player-b are required; usage: " + USAGE);
        }
        try {
            Position.fromSfen(sfen);
        } catch (IllegalArgumentException e) {
            throw new Usage("invalid --start-sfen: " + e.getMessage());
        }
        if (evaluation != null && !evaluation.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new Usage("--evaluation must be 1-64 characters of letters, digits and . _ -");
        }
        if (session == null) {
            if (redis != null) {
                throw new Usage("--redis needs --session (the session whose games stream shows the match)");
            }
        } else {
            if (!session.matches("[A-Za-z0-9._-]{1,128}")) {
                throw new Usage("--session must be 1-128 characters of letters, digits and . _ -");
            }
            if (redis == null || redis.isBlank()) {
                redis = env.get(TrainArgs.REDIS_URL_ENV);
            }
            if (redis == null || redis.isBlank()) {
                throw new Usage("--session needs a Redis URL: pass --redis or set " + TrainArgs.REDIS_URL_ENV);
            }
            if (!redis.startsWith("redis://") && !redis.startsWith("rediss://")) {
                throw new Usage("the Redis URL (--redis or " + TrainArgs.REDIS_URL_ENV + ") must be a redis:// URL");
            }
            if (evaluation == null) {
                evaluation = UUID.randomUUID().toString().substring(0, 8);
            }
        }
        return new Args(playerA, playerB, games, seed, maxMoves, resign, temperature, threads, sfen, outFile, session,
                redis, evaluation);
    }

    private static int intIn(String name, String value, int min, int max) throws Usage {
        int v;
        try {
            v = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new Usage(name + " must be an integer, was '" + value + "'");
        }
        if (v < min || v > max) {
            throw new Usage(name + " must be in " + min + ".." + max + ", was " + v);
        }
        return v;
    }

    private static long longOf(String name, String value) throws Usage {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new Usage(name + " must be an integer, was '" + value + "'");
        }
    }

    private static double doubleOf(String name, String value) throws Usage {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new Usage(name + " must be a number, was '" + value + "'");
        }
    }

    private long envLong(String name, long fallback) {
        String v = env.get(name);
        try {
            return v == null || v.isBlank() ? fallback : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
