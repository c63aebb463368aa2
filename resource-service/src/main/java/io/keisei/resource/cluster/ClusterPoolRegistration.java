package io.keisei.resource.cluster;

import io.keisei.resource.ClusterNode;
import io.keisei.resource.Pool;
import io.keisei.resource.Resources;
import io.keisei.resource.config.ResourceConfig;
import io.keisei.resource.persistence.PoolRepository;
import io.keisei.resource.service.AllocationService;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * In cluster mode, records each pool the nodes form (capacity: the sum of its eligible nodes' allocatable) and
 * admits what fits: at start-up, and whenever the cluster changes (a node joins, is cordoned, other pods come and go).
 * The local host's counterpart is {@code LocalPoolRegistration}.
 */
@ApplicationScoped
public class ClusterPoolRegistration {

    private static final Logger LOG = Logger.getLogger(ClusterPoolRegistration.class);

    private final ResourceConfig config;
    private final NodeInventory inventory;
    private final PoolRepository pools;
    private final AllocationService allocations;

    public ClusterPoolRegistration(ResourceConfig config, NodeInventory inventory, PoolRepository pools,
                                   AllocationService allocations) {
        this.config = config;
        this.inventory = inventory;
        this.pools = pools;
        this.allocations = allocations;
    }

    void onStart(@Observes StartupEvent ev) throws SQLException {
        if (config.mode() != ResourceConfig.Mode.KUBERNETES) {
            return;
        }
        inventory.start();
        register();
    }

    void onChange(@Observes ClusterChanged change) {
        try {
            register();
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("could not update the cluster's pools: %s", e.getMessage());
        }
    }

    synchronized void register() throws SQLException {
        Map<String, List<ClusterNode>> byPool = inventory.pools();
        Instant now = Instant.now();
        for (Map.Entry<String, List<ClusterNode>> e : byPool.entrySet()) {
            Resources sum = Resources.NONE;
            for (ClusterNode n : e.getValue()) {
                if (n.eligible()) {
                    sum = sum.plus(n.allocatable());
                }
            }
            pools.upsert(new Pool(e.getKey(), "kubernetes", sum.cpuMillis(), sum.memoryMb(), sum.gpus(), now));
        }
        if (!byPool.containsKey(config.kubernetes().defaultPool())) {
            pools.upsert(new Pool(config.kubernetes().defaultPool(), "kubernetes", 0, 0, 0, now));
        }
        for (String pool : byPool.keySet()) {
            allocations.reschedule(pool);
        }
    }
}
