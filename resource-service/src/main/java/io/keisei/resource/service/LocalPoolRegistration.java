package io.keisei.resource.service;

import io.keisei.resource.HostResources;
import io.keisei.resource.Pool;
import io.keisei.resource.config.ResourceConfig;
import io.keisei.resource.discovery.HostDiscovery;
import io.keisei.resource.persistence.PoolRepository;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Instant;

/** At start-up, records the local host as the default pool with what discovery found. */
@ApplicationScoped
public class LocalPoolRegistration {

    private static final Logger LOG = Logger.getLogger(LocalPoolRegistration.class);

    private final HostDiscovery discovery;
    private final PoolRepository pools;
    private final ResourceConfig config;

    public LocalPoolRegistration(HostDiscovery discovery, PoolRepository pools, ResourceConfig config) {
        this.discovery = discovery;
        this.pools = pools;
        this.config = config;
    }

    void onStart(@Observes StartupEvent ev) throws SQLException {
        HostResources host = discovery.discover();
        pools.upsert(new Pool(config.local().poolName(), "local", host.cpuMillis(), host.memoryMb(), 0, Instant.now()));
        LOG.infof("local pool '%s': %d millicores (%s), %d MiB (%s), 0 GPUs", config.local().poolName(),
                host.cpuMillis(), host.cpuSource(), host.memoryMb(), host.memorySource());
    }
}
