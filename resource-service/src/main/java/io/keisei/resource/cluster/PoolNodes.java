package io.keisei.resource.cluster;

import io.keisei.resource.ClusterNode;
import io.keisei.resource.config.ResourceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.util.List;

/** The nodes a pool's plan places grants on: the cluster's in cluster mode; none (one bin) on the local host. */
@ApplicationScoped
public class PoolNodes {

    private final boolean cluster;
    private final Instance<NodeInventory> inventory;

    public PoolNodes(ResourceConfig config, Instance<NodeInventory> inventory) {
        this.cluster = config.mode() == ResourceConfig.Mode.KUBERNETES;
        this.inventory = inventory;
    }

    public boolean cluster() {
        return cluster;
    }

    public List<ClusterNode> of(String pool) {
        return cluster ? inventory.get().nodesOf(pool) : List.of();
    }
}
