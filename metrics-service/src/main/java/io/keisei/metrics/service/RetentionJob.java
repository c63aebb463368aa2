package io.keisei.metrics.service;

import io.keisei.metrics.config.RetentionConfig;
import io.keisei.metrics.persistence.RawRetention;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/**
 * Deletes raw points older than {@code keisei.metrics.retention.raw-days}, every
 * {@code keisei.metrics.retention.every}. Tiers are kept, so old ranges are still served from them.
 */
@ApplicationScoped
public class RetentionJob {

    private static final Logger LOG = Logger.getLogger(RetentionJob.class);

    private final RawRetention retention;
    private final RetentionConfig config;

    public RetentionJob(RawRetention retention, RetentionConfig config) {
        this.retention = retention;
        this.config = config;
    }

    @Scheduled(identity = "metrics-raw-retention", every = "${keisei.metrics.retention.every}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() throws SQLException {
        purgeOlderThan(Duration.ofDays(config.rawDays()));
    }

    /** Deletes raw points whose wall time is more than {@code age} ago; returns how many. */
    public long purgeOlderThan(Duration age) throws SQLException {
        long started = System.nanoTime();
        long deleted = retention.purgeBefore(Instant.now().minus(age), config.deleteBatch());
        if (deleted > 0) {
            LOG.infof("retention: deleted %d raw points older than %s in %d ms", deleted, age,
                    (System.nanoTime() - started) / 1_000_000);
        }
        return deleted;
    }
}
