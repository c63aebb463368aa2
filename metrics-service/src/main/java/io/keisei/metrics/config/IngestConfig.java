package io.keisei.metrics.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** How metrics-service reads the streams. Env: KEISEI_METRICS_INGEST_BATCH_SIZE and so on. */
@ConfigMapping(prefix = "keisei.metrics.ingest")
public interface IngestConfig {

    /** Most entries read and committed in one batch. */
    @WithDefault("500")
    int batchSize();

    /** How long one XREADGROUP waits for new entries. */
    @WithDefault("500ms")
    Duration block();

    /** Pending entries idle this long belong to a dead consumer and are reclaimed. */
    @WithDefault("30s")
    Duration claimIdle();

    /** Consumer name of this replica; defaults to HOSTNAME-pid. */
    Optional<String> consumerName();
}
