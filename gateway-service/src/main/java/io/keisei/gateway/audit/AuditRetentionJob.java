package io.keisei.gateway.audit;

import io.keisei.gateway.config.GatewayConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.SQLException;

/** Keeps the audit log to its retention window ({@code KEISEI_AUDIT_RETENTION}, default 90 days). */
@ApplicationScoped
public class AuditRetentionJob {

    private static final Logger LOG = Logger.getLogger(AuditRetentionJob.class);

    private final AuditLog audit;
    private final GatewayConfig.Audit config;

    public AuditRetentionJob(AuditLog audit, GatewayConfig config) {
        this.audit = audit;
        this.config = config.audit();
    }

    @Scheduled(identity = "audit-retention", every = "${keisei.gateway.audit.retention-every}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            long deleted = audit.deleteOlderThan(config.retention());
            if (deleted > 0) {
                LOG.infof("audit log: %d rows older than %s deleted", deleted, config.retention());
            }
        } catch (SQLException e) {
            LOG.warnf("audit retention failed, retried at the next run: %s", e.getMessage());
        }
    }
}
