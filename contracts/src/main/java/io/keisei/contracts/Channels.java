package io.keisei.contracts;

/**
 * Names of the Redis pub/sub channels: notices between replicas of one service that are useful only to
 * whoever listens at that moment (what must not be lost goes on a stream, {@link Streams}). Each message
 * is a plain string, as described per channel. A listener that may have missed messages (it was not
 * subscribed for a while) must act as if it had missed every one.
 */
public final class Channels {

    /** A key prefix of the gateway's response cache that every gateway replica drops from memory. */
    public static final String GATEWAY_CACHE_INVALIDATE = "keisei:gateway:cache-invalidate";

    /**
     * The id of an API token that is no longer valid (revoked, or the bootstrap admin token replaced),
     * published after the database commit: every gateway replica forgets the token at once and closes the
     * WebSocket connections authenticated with it.
     */
    public static final String GATEWAY_TOKEN_REVOKED = "keisei:gateway:token-revoked";

    private Channels() {
    }
}
