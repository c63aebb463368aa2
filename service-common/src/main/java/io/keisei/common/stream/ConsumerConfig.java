package io.keisei.common.stream;

import io.keisei.contracts.Streams;
import io.smallrye.config.WithDefault;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Duration;
import java.util.Optional;

/**
 * How a service's consumer group reads a stream. Every service nests this under its own prefix
 * ({@code keisei.metrics.ingest}, {@code keisei.resources.events}, {@code keisei.training.events}), so
 * every consumer is tuned with the same keys and environment variables.
 */
public interface ConsumerConfig {

    /** Consumer name of this replica; defaults to HOSTNAME-pid. */
    Optional<String> consumerName();

    /** Most entries read and handled in one batch. */
    @WithDefault("100")
    int batchSize();

    /** How long one XREADGROUP waits for new entries. */
    @WithDefault("500ms")
    Duration block();

    /** Pending entries idle this long belong to a dead replica and are reclaimed. */
    @WithDefault("30s")
    Duration claimIdle();

    /** Wait after a failed batch before it is read again. */
    @WithDefault("1s")
    Duration retryBackoff();

    /**
     * The consumer settings these values describe, with the configured max length of the dead-letter stream
     * ({@code keisei.streams.dead-letter.max-length}, {@code KEISEI_STREAMS_DEAD_LETTER_MAX_LENGTH}).
     */
    static GroupConsumer.Settings settingsOf(ConsumerConfig c) {
        return new GroupConsumer.Settings(c.batchSize(), c.block(), c.claimIdle(), c.retryBackoff(),
                configuredMaxLength(Streams.Limit.DEAD_LETTER));
    }

    private static long configuredMaxLength(Streams.Limit limit) {
        try {
            return ConfigProvider.getConfig().getOptionalValue(limit.property(), Long.class).orElse(limit.defaultMaxLength());
        } catch (IllegalStateException | java.util.NoSuchElementException e) {
            return limit.defaultMaxLength();
        }
    }

    /** This replica's consumer name. */
    static String nameOf(ConsumerConfig c) {
        return ConsumerNames.forThisReplica(c.consumerName().orElse(null));
    }
}
