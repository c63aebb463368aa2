package io.keisei.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** gateway-service settings. Every key has an environment form (KEISEI_* in application.properties, or QUARKUS-style). */
@ConfigMapping(prefix = "keisei.gateway")
public interface GatewayConfig {

    /** The bootstrap admin token; stored hashed at start-up. */
    Optional<String> adminToken();

    Services services();

    Auth auth();

    RateLimit rateLimit();

    Cache cache();

    Ws ws();

    Downloads downloads();

    Idempotency idempotency();

    /** Idempotency-Key on the POSTs that create or change something (docs/gateway.md, "Idempotent writes"). */
    interface Idempotency {
        /** How long an answer is kept for retries with the same key (KEISEI_IDEMPOTENCY_TTL). */
        @WithDefault("24h")
        Duration ttl();

        /**
         * How long a key stays claimed by the request carrying it out (KEISEI_IDEMPOTENCY_LEASE): retries meanwhile get
         * 409. Longer than the slowest write (services.slow-timeout, 30 s), so that a claim never lapses under a request
         * still running; a replica that dies mid-request blocks its keys for this long at most.
         */
        @WithDefault("60s")
        Duration lease();
    }

    /** Signed download links: a model's download URL that works without a bearer token until it expires. */
    interface Downloads {
        /**
         * The key that signs download links; every replica must have the same one (KEISEI_DOWNLOAD_SIGNING_KEY, at least
         * 32 characters). Unset, the key is derived from the service credential, which every replica already shares.
         */
        Optional<String> signingKey();

        /** How long a signed download link works (KEISEI_DOWNLOAD_LINK_LIFETIME); at most a day. */
        @WithDefault("15m")
        Duration linkLifetime();
    }

    /** Where the internal services answer, and how long the gateway waits for them. */
    interface Services {
        URI training();

        URI metrics();

        URI resource();

        /** Bound on every downstream read (until response headers): a down service must never hang a request. */
        @WithDefault("5s")
        Duration timeout();

        /** Bound for writes and slow reads (exports, downloads): starting a trainer, saving a checkpoint. */
        @WithDefault("30s")
        Duration slowTimeout();

        CircuitBreaker circuitBreaker();

        /** Calls in progress to one service at most; more get 503 at once instead of tying up request threads. */
        @WithDefault("32")
        int concurrency();

        /**
         * After a call timed out, how long the service's liveness may take to answer before the service counts as
         * stalled (calls fail at once until it answers again); also how often it is asked meanwhile.
         */
        @WithDefault("1s")
        Duration stallProbe();
    }

    interface CircuitBreaker {
        /** Calls in the rolling window before the breaker may open. */
        @WithDefault("10")
        int requestVolume();

        @WithDefault("0.5")
        double failureRatio();

        /** How long an open breaker answers 503 at once (also the Retry-After). */
        @WithDefault("5s")
        Duration delay();
    }

    Audit audit();

    interface Audit {
        /** How long audit rows are kept. */
        @WithDefault("90d")
        Duration retention();

        /** How often rows past the retention are deleted ("off" to keep everything). */
        @WithDefault("1h")
        String retentionEvery();
    }

    interface Auth {
        /**
         * How long a valid token is trusted without asking PostgreSQL. A revocation reaches every replica at once over
         * Redis pub/sub; this is the bound for a replica that missed it (and how often open WebSocket connections'
         * tokens are checked again).
         */
        @WithDefault("5s")
        Duration cacheTtl();

        /**
         * How long a token PostgreSQL did not know is refused from memory. Tokens are random: a new one is
         * never in this cache, so the only cost is that a token created by hand in the database waits this long.
         */
        @WithDefault("60s")
        Duration unknownTokenTtl();

        /** Requests with a missing, unknown or revoked token one client address may make per window; 0 = no limit. */
        @WithDefault("30")
        int failuresPerAddress();

        @WithDefault("60s")
        Duration failureWindow();
    }

    interface RateLimit {
        @WithDefault("true")
        boolean enabled();

        /** Requests per second per token; all replicas share the budget through Redis. */
        @WithDefault("100")
        int perSecond();

        /**
         * How often a replica adds its counts to the shared budget in Redis and learns the others'. With
         * several replicas a token may overshoot by what the others admit within one interval.
         */
        @WithDefault("50ms")
        Duration syncInterval();
    }

    interface Cache {
        /** Time-to-live of cached config, template and model metadata reads (both levels). */
        @WithDefault("60s")
        Duration ttl();

        /** Entries kept in-process. */
        @WithDefault("2000")
        int maxEntries();

        /** Largest response body cached, in bytes. */
        @WithDefault("262144")
        int maxBodyBytes();

        /**
         * How long a live read (session list, metric history, model list, allocations, games) is shared with
         * identical reads; 0 turns sharing off, so every read goes to its service.
         */
        @WithDefault("1s")
        Duration liveTtl();

        /** Memory held by shared live reads, in bytes. */
        @WithDefault("33554432")
        long liveMaxBytes();
    }

    interface Ws {
        /** Authenticated connections per replica; one more is closed with 1008. Unauthenticated ones do not count. */
        @WithDefault("50")
        int maxConnections();

        /**
         * Connections not yet authenticated, per client address; one more is closed with 1008 at once. They do not
         * count against {@link #maxConnections()}, so sockets that never authenticate cannot lock out valid logins.
         * Behind a proxy the address is the proxy's unless Quarkus trusts its forwarding headers (as for REST).
         */
        @WithDefault("8")
        int maxUnauthenticatedPerAddress();

        /** Topics one connection may be subscribed to at once; one more gets an error (the connection stays open). */
        @WithDefault("64")
        int maxSubscriptions();

        /** Messages replayed at most per topic when a client resumes from a cursor. */
        @WithDefault("500")
        int replayLimit();

        @WithDefault("500ms")
        Duration trainingInterval();

        @WithDefault("250ms")
        Duration gameInterval();

        @WithDefault("1s")
        Duration systemInterval();

        /** A client that sends nothing (not even a pong) for this long is closed. */
        @WithDefault("60s")
        Duration idleTimeout();

        /** A client must authenticate within this time, or it is closed with 1008. */
        @WithDefault("5s")
        Duration authTimeout();

        /** Events (session_event, allocation_event) queued per connection before a resync is forced. */
        @WithDefault("256")
        int eventQueueLimit();

        /** Malformed messages tolerated before the connection is closed. */
        @WithDefault("5")
        int badMessageLimit();

        /**
         * Absolute significance thresholds per metric: a differential training_update carries a metric only when it
         * moved at least this much since it was last sent. Keys are metric names.
         */
        Map<String, Double> thresholds();

        /** For metrics without an absolute threshold: the relative change that counts as significant. */
        @WithDefault("0.01")
        double defaultRelativeThreshold();

        /** Steps the trainer must advance before an update with no significant metric change is sent. */
        @WithDefault("10")
        long stepThreshold();
    }
}
