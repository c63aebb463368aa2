package io.keisei.resource.service;

import io.keisei.contracts.api.HostResources;
import io.keisei.resource.Pool;
import io.keisei.resource.config.ResourceConfig;
import io.keisei.resource.discovery.GpuInventoryChanged;
import io.keisei.resource.discovery.HostDiscovery;
import io.keisei.resource.persistence.PoolRepository;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Instant;

/**
 * Records the local host as the default pool with what discovery found, then admits what fits: at
 * start-up, and again whenever nvidia-smi finds a different number of GPUs.
 */
@ApplicationScoped
public class LocalPoolRegistration {

    private static final Logger LOG = Logger.getLogger(LocalPoolRegistration.class);

    private final HostDiscovery discovery;
    private final PoolRepository pools;
    private final ResourceConfig config;
    private final AllocationService allocations;

    public LocalPoolRegistration(HostDiscovery discovery, PoolRepository pools, ResourceConfig config,
                                 AllocationService allocations) {
        this.discovery = discovery;
        this.pools = pools;
        this.config = config;
        this.allocations = allocations;
    }

    void onStart(@Observes StartupEvent ev) throws SQLException {
        if (config.mode() == ResourceConfig.Mode.LOCAL) {
            register();
        }
    }

    void onGpusChanged(@Observes GpuInventoryChanged change) {
        if (config.mode() != ResourceConfig.Mode.LOCAL) {
            return;
        }
        try {
            register();
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("could not update the local pool after a GPU change: %s", e.getMessage());
        }
    }

    synchronized void register() throws SQLException {
        HostResources host = discovery.discover();
        String name = config.local().poolName();
        pools.upsert(new Pool(name, "local", host.cpuMillis(), host.memoryMb(), host.gpuCount(), Instant.now()));
        LOG.infof("local pool '%s': %d millicores (%s), %d MiB (%s), %d GPUs (%s)", name, host.cpuMillis(),
                host.cpuSource(), host.memoryMb(), host.memorySource(), host.gpuCount(), host.gpuSource());
        // The capacity may have changed: start what fits now.
        allocations.reschedule(name);
    }
}
