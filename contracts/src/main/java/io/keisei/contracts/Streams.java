package io.keisei.contracts;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Names of the Redis streams and keys that make up the Keisei stream protocol.
 * Every producer and consumer takes its names from here so the protocol lives in one place.
 */
public final class Streams {

    /** One record per training update; ingested by metrics-service, fanned out live by gateways. */
    public static final String METRICS = "keisei:metrics";
    /** Game states of games in progress. */
    public static final String GAMES = "keisei:games";
    /** Lifecycle events of sessions, checkpoints and allocations. */
    public static final String EVENTS = "keisei:events";
    /** System status samples (CPU, memory, GPUs), one per second per node. */
    public static final String SYSTEM = "keisei:system";
    /** Records that a consumer could not decode; kept for inspection instead of blocking the consumer. */
    public static final String DEAD_LETTER = "keisei:dead-letter";

    /** The single field of a stream entry that carries the JSON message. */
    public static final String PAYLOAD_FIELD = "data";

    /**
     * Default approximate MAXLEN used when trimming each stream on write (XADD MAXLEN ~): the single source of
     * the defaults. Producers take the effective values from {@link MaxLengths}, which the
     * {@code KEISEI_STREAMS_<STREAM>_MAX_LENGTH} variables override (docs/stream-protocol.md, "Retention and headroom").
     */
    public static final long METRICS_MAXLEN = 1_000_000;
    public static final long GAMES_MAXLEN = 10_000;
    public static final long EVENTS_MAXLEN = 100_000;
    public static final long SYSTEM_MAXLEN = 3_600;
    public static final long CONTROL_MAXLEN = 1_000;
    public static final long DEAD_LETTER_MAXLEN = 10_000;

    /**
     * The trimmed streams, each with its default approximate MAXLEN, its setting in the services
     * ({@code keisei.streams.<name>.max-length}) and the environment variable that overrides it in every producer,
     * services and trainers alike ({@code KEISEI_STREAMS_<NAME>_MAX_LENGTH}).
     */
    public enum Limit {
        METRICS("metrics", METRICS_MAXLEN),
        GAMES("games", GAMES_MAXLEN),
        EVENTS("events", EVENTS_MAXLEN),
        SYSTEM("system", SYSTEM_MAXLEN),
        /** Every session's control stream ({@link #control(String)}). */
        CONTROL("control", CONTROL_MAXLEN),
        DEAD_LETTER("dead-letter", DEAD_LETTER_MAXLEN);

        private final String settingName;
        private final long defaultMaxLength;

        Limit(String settingName, long defaultMaxLength) {
            this.settingName = settingName;
            this.defaultMaxLength = defaultMaxLength;
        }

        /** The stream's part of its setting: {@code keisei.streams.<settingName>.max-length}. */
        public String settingName() {
            return settingName;
        }

        public long defaultMaxLength() {
            return defaultMaxLength;
        }

        /** The services' configuration key, e.g. {@code keisei.streams.metrics.max-length}. */
        public String property() {
            return "keisei.streams." + settingName + ".max-length";
        }

        /** The environment variable that overrides it, e.g. {@code KEISEI_STREAMS_METRICS_MAX_LENGTH}. */
        public String environmentVariable() {
            return "KEISEI_STREAMS_" + settingName.toUpperCase(Locale.ROOT).replace('-', '_') + "_MAX_LENGTH";
        }

        /** The limit of a stream by its name; every session's control stream shares {@link #CONTROL}. */
        public static Limit of(String stream) {
            if (stream != null && stream.startsWith(CONTROL_PREFIX)) {
                return CONTROL;
            }
            if (stream != null) {
                switch (stream) {
                    case Streams.METRICS: return METRICS;
                    case Streams.GAMES: return GAMES;
                    case Streams.EVENTS: return EVENTS;
                    case Streams.SYSTEM: return SYSTEM;
                    case Streams.DEAD_LETTER: return DEAD_LETTER;
                    default: break;
                }
            }
            throw new IllegalArgumentException("not a stream of the protocol: " + stream);
        }
    }

    /**
     * The effective approximate MAXLEN of every stream: the defaults above, overridden per stream by the
     * services' configuration or, in a trainer, by the {@code KEISEI_STREAMS_<NAME>_MAX_LENGTH} variables.
     */
    public record MaxLengths(Map<Limit, Long> values) {

        public MaxLengths {
            EnumMap<Limit, Long> all = new EnumMap<>(Limit.class);
            for (Limit l : Limit.values()) {
                Long v = values == null ? null : values.get(l);
                long n = v == null ? l.defaultMaxLength() : v;
                if (n < 1) {
                    throw new IllegalArgumentException(l.property() + " must be at least 1, not " + n);
                }
                all.put(l, n);
            }
            values = java.util.Collections.unmodifiableMap(all);
        }

        /** The defaults of the protocol. */
        public static MaxLengths defaults() {
            return new MaxLengths(Map.of());
        }

        /**
         * The defaults overridden by the {@code KEISEI_STREAMS_<NAME>_MAX_LENGTH} variables of {@code env} (blank
         * values count as unset).
         *
         * @throws IllegalArgumentException naming the variable when one is not a positive whole number
         */
        public static MaxLengths fromEnvironment(Map<String, String> env) {
            EnumMap<Limit, Long> values = new EnumMap<>(Limit.class);
            for (Limit l : Limit.values()) {
                String v = env.get(l.environmentVariable());
                if (v == null || v.isBlank()) {
                    continue;
                }
                long n;
                try {
                    n = Long.parseLong(v.trim().replace("_", ""));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(l.environmentVariable() + " must be a whole number of entries, not '"
                            + v + "'");
                }
                if (n < 1) {
                    throw new IllegalArgumentException(l.environmentVariable() + " must be at least 1, not " + n);
                }
                values.put(l, n);
            }
            return new MaxLengths(values);
        }

        /** This set with one stream's limit changed. */
        public MaxLengths with(Limit limit, long maxLength) {
            EnumMap<Limit, Long> v = new EnumMap<>(values);
            v.put(limit, maxLength);
            return new MaxLengths(v);
        }

        public long of(Limit limit) {
            return values.get(limit);
        }

        /** The approximate MAXLEN of a stream by its name (a session's control stream: {@link Limit#CONTROL}). */
        public long of(String stream) {
            return values.get(Limit.of(stream));
        }

        /** The variables that hand these limits on to a process, e.g. a trainer. */
        public Map<String, String> asEnvironment() {
            Map<String, String> env = new java.util.LinkedHashMap<>();
            values.forEach((l, v) -> env.put(l.environmentVariable(), String.valueOf(v)));
            return env;
        }
    }

    private static final String CONTROL_PREFIX = "keisei:control:";
    private static final String HEARTBEAT_PREFIX = "keisei:heartbeat:";

    private Streams() {
    }

    /** The control stream that one session's trainer reads its commands from. */
    public static String control(String sessionId) {
        return CONTROL_PREFIX + requireId(sessionId);
    }

    /** The heartbeat key a trainer refreshes with a TTL; its absence means the trainer is gone. */
    public static String heartbeat(String sessionId) {
        return HEARTBEAT_PREFIX + requireId(sessionId);
    }

    private static String requireId(String sessionId) {
        if (sessionId == null || sessionId.isBlank()) {
            throw new IllegalArgumentException("session id must not be blank");
        }
        return sessionId;
    }
}
