package io.keisei.resource.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.keisei.resource.ClusterNode;
import io.keisei.resource.Resources;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a cluster's Nodes and Pods into the planner's {@link ClusterNode}s, grouped by pool. Pure: the informers'
 * caches go in, the pools come out, so it is tested on hand-built objects.
 *
 * <ul>
 *   <li>a node's pool is its {@code poolLabel} label, else the default pool;</li>
 *   <li>its capacity is its allocatable CPU, memory and GPUs ({@code gpuResource});</li>
 *   <li>every non-terminated pod bound to it counts with its requests (the larger of its containers' sum and its
 *       largest init container, plus its overhead), in every namespace, except our own trainers, which the
 *       allocations already count;</li>
 *   <li>a cordoned node, a node that is not Ready, and a node with a NoSchedule or NoExecute taint the trainer Jobs
 *       do not tolerate take no trainers: they stay listed, with the reason.</li>
 * </ul>
 */
public final class ClusterNodes {

    /** Pods our training-service made (trainer and match Jobs): their resources are counted as allocations. */
    public static final String OUR_PODS_LABEL = "app.kubernetes.io/managed-by";
    public static final String OUR_PODS_VALUE = "training-service";

    /** The label training-service puts on the pods of a grant: the allocation they run on. */
    public static final String ALLOCATION_LABEL = "keisei.io/allocation";

    /** Our trainer pod of an allocation that the scheduler cannot place, with the scheduler's words. */
    public record Unschedulable(String allocationId, String node, String message) {
    }

    /** Our pods (of a grant) that are Pending because the scheduler cannot place them. */
    public static List<Unschedulable> unschedulable(Collection<Pod> pods) {
        List<Unschedulable> out = new ArrayList<>();
        for (Pod p : pods) {
            Map<String, String> labels = p.getMetadata().getLabels();
            String allocation = labels == null || !ours(p) ? null : labels.get(ALLOCATION_LABEL);
            if (allocation == null || p.getStatus() == null || !"Pending".equals(p.getStatus().getPhase())
                    || p.getStatus().getConditions() == null) {
                continue;
            }
            p.getStatus().getConditions().stream()
                    .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
                            && "Unschedulable".equals(c.getReason()))
                    .findFirst()
                    .ifPresent(c -> out.add(new Unschedulable(allocation, pinnedNode(p), c.getMessage())));
        }
        return out;
    }

    /** The node a pod is pinned to by a required node affinity on {@code metadata.name}; null when none. */
    static String pinnedNode(Pod p) {
        var affinity = p.getSpec() == null ? null : p.getSpec().getAffinity();
        if (affinity == null || affinity.getNodeAffinity() == null
                || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return null;
        }
        return affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms()
                .stream().flatMap(t -> t.getMatchFields() == null ? java.util.stream.Stream.empty() : t.getMatchFields().stream())
                .filter(f -> "metadata.name".equals(f.getKey()) && f.getValues() != null && !f.getValues().isEmpty())
                .map(f -> f.getValues().get(0)).findFirst().orElse(null);
    }

    public record Settings(String poolLabel, String defaultPool, String gpuResource, String gpuProductLabel,
                           List<Toleration> tolerations) {
    }

    /** A trainer Job's toleration, as training-service writes it. */
    public record Toleration(String key, String operator, String value, String effect) {

        boolean tolerates(Taint t) {
            if (effect != null && !effect.isEmpty() && !effect.equals(t.getEffect())) {
                return false;
            }
            if (key == null || key.isEmpty()) {
                return "Exists".equals(operator);
            }
            if (!key.equals(t.getKey())) {
                return false;
            }
            return "Exists".equals(operator) || String.valueOf(value).equals(String.valueOf(t.getValue()));
        }

        /** {@code key:Exists:Effect} or {@code key:Equal:value:Effect}, comma separated (training-service's format). */
        public static List<Toleration> parse(String text) {
            List<Toleration> list = new ArrayList<>();
            if (text == null) {
                return list;
            }
            for (String part : text.split(",")) {
                String[] f = part.strip().split(":", -1);
                if (f.length == 3) {
                    list.add(new Toleration(f[0], f[1], null, f[2]));
                } else if (f.length == 4) {
                    list.add(new Toleration(f[0], f[1], f[2], f[3]));
                } else if (!part.isBlank()) {
                    throw new IllegalArgumentException("toleration '" + part + "' is not key:Operator[:value]:Effect");
                }
            }
            return list;
        }
    }

    private ClusterNodes() {
    }

    /** The nodes of each pool, by pool name and node name. */
    public static Map<String, List<ClusterNode>> byPool(Collection<Node> nodes, Collection<Pod> pods, Settings settings) {
        Map<String, Resources> used = requestedByNode(pods, settings.gpuResource(), false);
        Map<String, List<ClusterNode>> out = new TreeMap<>();
        for (Node n : nodes) {
            ClusterNode c = read(n, used.getOrDefault(n.getMetadata().getName(), Resources.NONE), settings);
            out.computeIfAbsent(c.pool(), k -> new ArrayList<>()).add(c);
        }
        out.values().forEach(l -> l.sort(java.util.Comparator.comparing(ClusterNode::name)));
        return out;
    }

    /**
     * What the non-terminated pods bound to each node request, by node name; our own trainer and match pods only when
     * {@code countOurs} (the planner counts those as allocations; a node's load counts everything on it).
     */
    static Map<String, Resources> requestedByNode(Collection<Pod> pods, String gpuResource, boolean countOurs) {
        Map<String, Resources> used = new HashMap<>();
        for (Pod p : pods) {
            String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
            if (node == null || terminated(p) || (!countOurs && ours(p))) {
                continue;
            }
            used.merge(node, requests(p, gpuResource), Resources::plus);
        }
        return used;
    }

    static ClusterNode read(Node n, Resources usedByOthers, Settings settings) {
        Map<String, String> labels = n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
        String pool = labels.getOrDefault(settings.poolLabel(), settings.defaultPool());
        Map<String, Quantity> alloc = n.getStatus() == null || n.getStatus().getAllocatable() == null
                ? Map.of() : n.getStatus().getAllocatable();
        Resources allocatable = new Resources(millis(alloc.get("cpu")), mebibytes(alloc.get("memory")),
                (int) count(alloc.get(settings.gpuResource())));
        return new ClusterNode(n.getMetadata().getName(), pool, allocatable, usedByOthers,
                labels.get(settings.gpuProductLabel()), exclusion(n, settings));
    }

    /** Why no trainer may go to this node; null when one may. */
    static String exclusion(Node n, Settings settings) {
        if (n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable())) {
            return "cordoned";
        }
        NodeCondition ready = n.getStatus() == null || n.getStatus().getConditions() == null ? null
                : n.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
        if (ready == null || !"True".equals(ready.getStatus())) {
            return "not ready" + (ready == null || ready.getReason() == null ? "" : " (" + ready.getReason() + ")");
        }
        if (n.getSpec() != null && n.getSpec().getTaints() != null) {
            for (Taint t : n.getSpec().getTaints()) {
                boolean blocking = "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect());
                if (blocking && settings.tolerations().stream().noneMatch(tol -> tol.tolerates(t))) {
                    return "taint " + t.getKey() + (t.getValue() == null ? "" : "=" + t.getValue()) + ":" + t.getEffect()
                            + " is not tolerated by trainer Jobs";
                }
            }
        }
        return null;
    }

    static boolean terminated(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    static boolean ours(Pod p) {
        Map<String, String> labels = p.getMetadata().getLabels();
        return labels != null && OUR_PODS_VALUE.equals(labels.get(OUR_PODS_LABEL));
    }

    /** What the scheduler reserves for a pod: max(sum of containers, largest init container) plus its overhead. */
    static Resources requests(Pod p, String gpuResource) {
        Resources sum = Resources.NONE;
        for (Container c : p.getSpec().getContainers() == null ? List.<Container>of() : p.getSpec().getContainers()) {
            sum = sum.plus(requestsOf(c, gpuResource));
        }
        if (p.getSpec().getInitContainers() != null) {
            for (Container c : p.getSpec().getInitContainers()) {
                Resources r = requestsOf(c, gpuResource);
                sum = new Resources(Math.max(sum.cpuMillis(), r.cpuMillis()), Math.max(sum.memoryMb(), r.memoryMb()),
                        Math.max(sum.gpus(), r.gpus()));
            }
        }
        if (p.getSpec().getOverhead() != null) {
            Map<String, Quantity> o = p.getSpec().getOverhead();
            sum = sum.plus(new Resources(millis(o.get("cpu")), mebibytes(o.get("memory")), 0));
        }
        return sum;
    }

    private static Resources requestsOf(Container c, String gpuResource) {
        if (c.getResources() == null) {
            return Resources.NONE;
        }
        Map<String, Quantity> req = c.getResources().getRequests() == null ? Map.of() : c.getResources().getRequests();
        Map<String, Quantity> lim = c.getResources().getLimits() == null ? Map.of() : c.getResources().getLimits();
        // Extended resources such as GPUs may be given as a limit only; the request then equals the limit.
        Quantity gpus = req.getOrDefault(gpuResource, lim.get(gpuResource));
        return new Resources(millis(req.getOrDefault("cpu", lim.get("cpu"))),
                mebibytes(req.getOrDefault("memory", lim.get("memory"))), (int) count(gpus));
    }

    static long millis(Quantity q) {
        return q == null ? 0 : Quantity.getAmountInBytes(q).multiply(BigDecimal.valueOf(1000))
                .setScale(0, RoundingMode.CEILING).longValueExact();
    }

    static long mebibytes(Quantity q) {
        return q == null ? 0 : Quantity.getAmountInBytes(q).divide(BigDecimal.valueOf(1L << 20), 0, RoundingMode.FLOOR)
                .longValueExact();
    }

    static long count(Quantity q) {
        return q == null ? 0 : Quantity.getAmountInBytes(q).setScale(0, RoundingMode.FLOOR).longValueExact();
    }
}
