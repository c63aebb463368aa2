package io.keisei.resource.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.keisei.resource.ClusterNode;
import io.keisei.resource.config.ResourceConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The cluster's nodes and pods as resource-service sees them in cluster mode: two informers (Nodes, and Pods in
 * every namespace, so other people's workloads count) keep a local cache current through watches, re-listing by
 * themselves after a watch error. Every change marks the view dirty; after a short settle time the pools are read
 * again ({@link ClusterNodes}) and {@link ClusterChanged} is fired, so admission re-plans. Nothing polls the API.
 */
@ApplicationScoped
public class NodeInventory {

    private static final Logger LOG = Logger.getLogger(NodeInventory.class);

    private final Instance<KubernetesClient> client;
    private final ResourceConfig config;
    private final Event<ClusterChanged> changed;
    private final ClusterNodes.Settings settings;
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final ScheduledExecutorService settle = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cluster-inventory");
        t.setDaemon(true);
        return t;
    });
    private volatile SharedIndexInformer<Node> nodes;
    private volatile SharedIndexInformer<Pod> pods;
    private volatile Map<String, List<ClusterNode>> byPool = Map.of();
    /** Our unschedulable trainer pods by allocation, with when they were first seen so. */
    private final Map<String, Long> unschedulableSince = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Set<String> requeueAsked = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Event<TrainerUnschedulable> stuck;

    public NodeInventory(Instance<KubernetesClient> client, ResourceConfig config, Event<ClusterChanged> changed,
                         Event<TrainerUnschedulable> stuck) {
        this.client = client;
        this.config = config;
        this.changed = changed;
        this.stuck = stuck;
        ResourceConfig.Kubernetes k = config.kubernetes();
        this.settings = new ClusterNodes.Settings(k.poolLabel(), k.defaultPool(), k.gpuResource(), k.gpuProductLabel(),
                ClusterNodes.Toleration.parse(k.tolerations().orElse("")));
    }

    /** Lists and starts watching; returns once the first listing is in the cache. */
    public synchronized void start() {
        if (nodes != null) {
            return;
        }
        KubernetesClient k8s = client.get();
        long resync = config.kubernetes().informerResync().toMillis();
        ResourceEventHandler<Object> any = new ResourceEventHandler<>() {
            @Override
            public void onAdd(Object o) {
                markDirty();
            }

            @Override
            public void onUpdate(Object old, Object o) {
                markDirty();
            }

            @Override
            public void onDelete(Object o, boolean finalStateUnknown) {
                markDirty();
            }
        };
        nodes = k8s.nodes().inform(cast(any), resync);
        pods = k8s.pods().inAnyNamespace().inform(cast(any), resync);
        refresh();
        long every = Math.max(100, Math.min(5_000, config.kubernetes().requeueUnschedulableAfter().toMillis() / 4));
        settle.scheduleWithFixedDelay(this::requeueStuckTrainers, every, every, TimeUnit.MILLISECONDS);
        LOG.infof("cluster mode: %d nodes in %d pools, %d pods watched", nodes.getStore().list().size(), byPool.size(),
                pods.getStore().list().size());
    }

    @SuppressWarnings("unchecked")
    private static <T> ResourceEventHandler<T> cast(ResourceEventHandler<Object> h) {
        return (ResourceEventHandler<T>) (ResourceEventHandler<?>) h;
    }

    private void markDirty() {
        if (dirty.compareAndSet(false, true)) {
            settle.schedule(this::refreshAndTell, config.kubernetes().settle().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void refreshAndTell() {
        try {
            dirty.set(false);
            if (!started()) {
                // The Nodes' first listing marks the view dirty before the Pods' informer exists; start() reads both.
                return;
            }
            refresh();
            changed.fire(new ClusterChanged(byPool.keySet()));
        } catch (RuntimeException e) {
            LOG.warnf(e, "re-reading the cluster failed; the next change tries again");
        }
    }

    /** Reads the pools from the informers' caches now. */
    public void refresh() {
        List<Pod> all = pods.getStore().list();
        byPool = Map.copyOf(ClusterNodes.byPool(nodes.getStore().list(), all, settings));
        java.util.Set<String> now = new java.util.HashSet<>();
        for (ClusterNodes.Unschedulable u : ClusterNodes.unschedulable(all)) {
            now.add(u.allocationId());
            unschedulableSince.putIfAbsent(u.allocationId(), System.nanoTime());
        }
        unschedulableSince.keySet().retainAll(now);
        requeueAsked.retainAll(now);
    }

    /** Asks once per stuck pod for its allocation to be queued again, when it stayed unschedulable long enough. */
    private void requeueStuckTrainers() {
        try {
            long limit = config.kubernetes().requeueUnschedulableAfter().toNanos();
            List<ClusterNodes.Unschedulable> current = ClusterNodes.unschedulable(pods.getStore().list());
            for (ClusterNodes.Unschedulable u : current) {
                Long since = unschedulableSince.get(u.allocationId());
                if (since != null && System.nanoTime() - since >= limit && requeueAsked.add(u.allocationId())) {
                    stuck.fire(new TrainerUnschedulable(u.allocationId(), u.node(), u.message()));
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "checking for unschedulable trainer pods failed");
        }
    }

    /** Whether both caches hold their first listing ({@link #start()} has run). */
    public boolean started() {
        return pods != null;
    }

    /** How nodes are read: the pool label, the GPU resource and product label, the trainers' tolerations. */
    public ClusterNodes.Settings settings() {
        return settings;
    }

    /** The cached Nodes as the informer holds them now; none before {@link #start()}. */
    public List<Node> nodes() {
        SharedIndexInformer<Node> n = nodes;
        return n == null ? List.of() : n.getStore().list();
    }

    /** The cached Pods of every namespace as the informer holds them now; none before {@link #start()}. */
    public List<Pod> pods() {
        SharedIndexInformer<Pod> p = pods;
        return p == null ? List.of() : p.getStore().list();
    }

    /** The nodes of each pool (eligible or not), as last read. */
    public Map<String, List<ClusterNode>> pools() {
        return byPool;
    }

    public List<ClusterNode> nodesOf(String pool) {
        return byPool.getOrDefault(pool, List.of());
    }

    @PreDestroy
    synchronized void close() {
        settle.shutdownNow();
        if (nodes != null) {
            nodes.close();
            pods.close();
        }
    }
}
