package io.keisei.contracts;

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

    /** Approximate MAXLEN used when trimming each stream on write (XADD MAXLEN ~). */
    public static final long METRICS_MAXLEN = 1_000_000;
    public static final long GAMES_MAXLEN = 10_000;
    public static final long EVENTS_MAXLEN = 100_000;
    public static final long SYSTEM_MAXLEN = 3_600;
    public static final long CONTROL_MAXLEN = 1_000;
    public static final long DEAD_LETTER_MAXLEN = 10_000;

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
