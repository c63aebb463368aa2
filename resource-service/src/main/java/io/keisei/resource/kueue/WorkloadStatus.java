package io.keisei.resource.kueue;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Kueue says about one trainer Job, read from its Workload ({@code kueue.x-k8s.io} Workload, created by Kueue
 * for each Job that names a LocalQueue). The Workload carries the Job's pod template, so the allocation it belongs to
 * is the template's {@code keisei.io/allocation} label (no need to read the Job, nor for Kueue to copy labels).
 *
 * @param name         the Workload's name
 * @param allocationId our allocation, from the pod template's label
 * @param queue        its LocalQueue ({@code spec.queueName})
 * @param priority     Kueue's priority of the Workload ({@code spec.priority}; 0 when unset)
 * @param createdAt    when Kueue created it (its place in a FIFO queue)
 * @param phase        where it stands
 * @param reason       the deciding condition's reason (e.g. {@code Pending}, {@code Preempted}); may be null
 * @param message      the deciding condition's message, as Kueue wrote it; may be null
 * @param clusterQueue the ClusterQueue that admitted it; null unless admitted
 */
public record WorkloadStatus(String name, String allocationId, String queue, int priority, Instant createdAt,
                             Phase phase, String reason, String message, String clusterQueue) {

    /** The pod label that names a trainer's allocation (set by training-service on every trainer Job's pods). */
    public static final String ALLOCATION_LABEL = "keisei.io/allocation";

    public enum Phase {
        /** Waiting for quota in its ClusterQueue (Kueue's QuotaReserved condition is not True). */
        PENDING,
        /** Admitted: Kueue unsuspends the Job. */
        ADMITTED,
        /** Admitted once, then evicted (preempted, pods not ready in time, deactivated): Kueue suspends the Job. */
        EVICTED,
        /** The Job finished. */
        FINISHED
    }

    /**
     * Reads a Workload as the API returns it (its generic map form). Empty when it is not one of ours (no allocation
     * label in its pod sets) or has no queue.
     */
    @SuppressWarnings("unchecked")
    public static Optional<WorkloadStatus> of(Map<String, Object> metadata, Map<String, Object> spec,
                                              Map<String, Object> status) {
        if (metadata == null || spec == null) {
            return Optional.empty();
        }
        String allocation = null;
        for (Object podSet : list(spec.get("podSets"))) {
            Map<String, Object> labels = map(map(map(podSet).get("template")).get("metadata")).get("labels") instanceof Map<?, ?> l
                    ? (Map<String, Object>) l : Map.of();
            if (labels.get(ALLOCATION_LABEL) instanceof String s && !s.isBlank()) {
                allocation = s;
                break;
            }
        }
        String queue = spec.get("queueName") instanceof String q && !q.isBlank() ? q : null;
        if (allocation == null || queue == null) {
            return Optional.empty();
        }
        int priority = spec.get("priority") instanceof Number n ? n.intValue() : 0;
        Instant created = parse(metadata.get("creationTimestamp"));
        Map<String, Object> st = map(status);
        Map<String, Object> finished = condition(st, "Finished");
        Map<String, Object> admitted = condition(st, "Admitted");
        Map<String, Object> evicted = condition(st, "Evicted");
        Map<String, Object> reserved = condition(st, "QuotaReserved");
        String clusterQueue = map(st.get("admission")).get("clusterQueue") instanceof String cq ? cq : null;
        String name = (String) metadata.get("name");
        if (isTrue(finished)) {
            return Optional.of(new WorkloadStatus(name, allocation, queue, priority, created, Phase.FINISHED,
                    text(finished, "reason"), text(finished, "message"), clusterQueue));
        }
        if (isTrue(admitted)) {
            return Optional.of(new WorkloadStatus(name, allocation, queue, priority, created, Phase.ADMITTED,
                    text(admitted, "reason"), text(admitted, "message"), clusterQueue));
        }
        if (isTrue(evicted)) {
            return Optional.of(new WorkloadStatus(name, allocation, queue, priority, created, Phase.EVICTED,
                    text(evicted, "reason"), text(evicted, "message"), null));
        }
        // Pending: QuotaReserved False says why (e.g. "couldn't assign flavors to pod set main: insufficient unused
        // quota for nvidia.com/gpu in flavor h100, 4 more needed"); a deactivated Workload says so in spec.active.
        String message = text(reserved, "message");
        if (Boolean.FALSE.equals(spec.get("active"))) {
            message = "deactivated (spec.active is false)" + (message == null ? "" : "; " + message);
        }
        return Optional.of(new WorkloadStatus(name, allocation, queue, priority, created, Phase.PENDING,
                text(reserved, "reason"), message, null));
    }

    private static boolean isTrue(Map<String, Object> condition) {
        return condition != null && "True".equals(condition.get("status"));
    }

    private static Map<String, Object> condition(Map<String, Object> status, String type) {
        for (Object c : list(status.get("conditions"))) {
            if (type.equals(map(c).get("type"))) {
                return map(c);
            }
        }
        return null;
    }

    private static String text(Map<String, Object> condition, String key) {
        return condition != null && condition.get(key) instanceof String s && !s.isBlank() ? s : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    private static Instant parse(Object o) {
        try {
            return o instanceof String s ? Instant.parse(s) : Instant.EPOCH;
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
