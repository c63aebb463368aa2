package io.keisei.metrics.service;

import io.keisei.metrics.config.GamesConfig;
import io.keisei.metrics.persistence.GameRetention;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.SQLException;

/**
 * Keeps the newest {@code keisei.metrics.games.keep-per-session} games of each session, every
 * {@code keisei.metrics.games.cleanup-every}: trainers play games without end, a browser shows the recent ones.
 */
@ApplicationScoped
public class GameCleanupJob {

    private static final Logger LOG = Logger.getLogger(GameCleanupJob.class);

    private final GameRetention retention;
    private final GamesConfig config;

    public GameCleanupJob(GameRetention retention, GamesConfig config) {
        this.retention = retention;
        this.config = config;
    }

    @Scheduled(identity = "metrics-games-cleanup", every = "${keisei.metrics.games.cleanup-every}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() throws SQLException {
        run();
    }

    /** Deletes the games beyond the newest N of each session; returns how many. */
    public int run() throws SQLException {
        int deleted = retention.keepNewest(config.keepPerSession());
        if (deleted > 0) {
            LOG.infof("games: deleted %d games beyond the newest %d of their session", deleted, config.keepPerSession());
        }
        return deleted;
    }
}
