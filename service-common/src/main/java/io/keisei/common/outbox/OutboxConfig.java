package io.keisei.common.outbox;

import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * How a service's outbox relay runs. Every service that writes an outbox nests this under its own
 * prefix ({@code keisei.resources.outbox}, {@code keisei.training.outbox}), so each relay is tuned
 * with the same keys and environment variables.
 */
public interface OutboxConfig {

    /** Rows relayed per transaction. */
    @WithDefault("100")
    int batchSize();

    /** How often the relay looks for rows that the nudge after each commit did not send (a restart, a Redis outage). */
    @WithDefault("1s")
    Duration interval();

    /** How long the nudge after a commit waits for another relay (thread or replica) before leaving its rows to the timer. */
    @WithDefault("2s")
    Duration lockWait();

    /** A backlog whose oldest event is older than this is reported degraded (the "outbox" wellness check is DOWN). */
    @WithDefault("30s")
    Duration staleAfter();

    /** The relay settings these values describe. */
    static OutboxRelay.Settings settingsOf(OutboxConfig c) {
        return new OutboxRelay.Settings(c.batchSize(), c.interval(), c.lockWait(), c.staleAfter());
    }
}
