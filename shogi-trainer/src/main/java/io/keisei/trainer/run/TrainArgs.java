package io.keisei.trainer.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Arguments of {@code train}:
 * {@code --session ID --attempt N [--redis URL] --config FILE --checkpoint-dir DIR [--resume FILE]
 * [--control-cursor STREAM_ID]}. Without {@code --redis} the Redis URL comes from KEISEI_REDIS_URL, which is
 * how training-service passes it: a URL may hold a password, and a command line is readable by every local
 * user. The control cursor is the control stream id after which this
 * attempt's commands start (training-service reads it before launching, so a command sent
 * before the trainer listens is not lost and an old attempt's command is not replayed).
 */
public record TrainArgs(String session, int attempt, String redisUrl, Path config, Path checkpointDir, Path resume,
                        String controlCursor) {

    /** Invalid arguments; the message is one line for the user. */
    public static class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    /** Where the Redis URL comes from when {@code --redis} is not given. */
    public static final String REDIS_URL_ENV = "KEISEI_REDIS_URL";

    public static final String USAGE = "usage: shogi-trainer train --session ID --attempt N [--redis redis://HOST:PORT] "
            + "--config FILE --checkpoint-dir DIR [--resume CHECKPOINT] [--control-cursor STREAM_ID] "
            + "(without --redis: the URL in " + REDIS_URL_ENV + ")";

    public static TrainArgs parse(List<String> args) {
        return parse(args, Map.of());
    }

    /** @param env the environment: {@value #REDIS_URL_ENV} is the Redis URL unless {@code --redis} is given */
    public static TrainArgs parse(List<String> args, Map<String, String> env) {
        String session = null;
        String attempt = null;
        String redis = null;
        String config = null;
        String dir = null;
        String resume = null;
        String cursor = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String value;
            String name;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else {
                name = a;
                if (i + 1 >= args.size()) {
                    throw new UsageException("missing value for " + a);
                }
                value = args.get(++i);
            }
            switch (name) {
                case "--session" -> session = value;
                case "--attempt" -> attempt = value;
                case "--redis" -> redis = value;
                case "--config" -> config = value;
                case "--checkpoint-dir" -> dir = value;
                case "--resume" -> resume = value;
                case "--control-cursor" -> cursor = value;
                default -> throw new UsageException("unknown argument " + name);
            }
        }
        if (redis == null || redis.isBlank()) {
            redis = env.get(REDIS_URL_ENV);
        }
        require("--session", session);
        require("--attempt", attempt);
        if (redis == null || redis.isBlank()) {
            throw new UsageException("missing the Redis URL: set " + REDIS_URL_ENV + " or pass --redis (" + USAGE + ")");
        }
        require("--config", config);
        require("--checkpoint-dir", dir);
        if (!session.matches("[A-Za-z0-9._-]{1,128}")) {
            throw new UsageException("--session must be 1-128 characters of letters, digits and . _ -");
        }
        int n;
        try {
            n = Integer.parseInt(attempt);
        } catch (NumberFormatException e) {
            throw new UsageException("--attempt must be a number, was '" + attempt + "'");
        }
        if (n < 1) {
            throw new UsageException("--attempt must be >= 1");
        }
        if (!redis.startsWith("redis://") && !redis.startsWith("rediss://")) {
            throw new UsageException("the Redis URL (--redis or " + REDIS_URL_ENV + ") must be a redis:// URL");
        }
        return new TrainArgs(session, n, redis, Path.of(config), Path.of(dir), resume == null ? null : Path.of(resume), cursor);
    }

    private static void require(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new UsageException("missing " + name + " (" + USAGE + ")");
        }
    }
}
