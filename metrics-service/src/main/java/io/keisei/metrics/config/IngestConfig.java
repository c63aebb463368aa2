package io.keisei.metrics.config;

import io.keisei.common.stream.ConsumerConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;


/** How metrics-service reads the streams. Env: KEISEI_METRICS_INGEST_BATCH_SIZE and so on. */
@ConfigMapping(prefix = "keisei.metrics.ingest")
public interface IngestConfig extends ConsumerConfig {

    // batch-size is 2000 here (application.properties): a read takes what is waiting, up to that many, so
    // batches are small (low lag) when the stream is quiet and large (cheap per point) under load; 2000
    // updates of 10 metrics drained a backlog about 1.5x faster than 500 on two shared cores, since a
    // transaction's round trips are paid once per batch (bench/metrics/RESULTS.md).

    /**
     * Consumers of keisei:metrics in this replica, each on its own thread and connection. While one
     * commits, the next reads and decodes its batch; batches of one session still commit one at a
     * time (session locks).
     */
    @WithDefault("1")
    int consumers();
}
