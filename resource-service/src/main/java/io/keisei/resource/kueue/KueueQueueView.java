package io.keisei.resource.kueue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kueue's queues as our allocations see them, from the Workloads of one moment: which Workload stands for an
 * allocation, and where a pending one stands in its LocalQueue. Pure (no Kubernetes, no database), like
 * {@code QueuePlanner}.
 *
 * <p>The position orders a LocalQueue's pending Workloads as Kueue's StrictFIFO does: higher priority first, then
 * older first. Under BestEffortFIFO Kueue may admit a smaller Workload behind a blocked one, so the position is where
 * it stands, not a promise of the order of admission.
 */
public final class KueueQueueView {

    public static final KueueQueueView EMPTY = new KueueQueueView(List.of());

    private static final Comparator<WorkloadStatus> KUEUE_ORDER = Comparator
            .comparingInt((WorkloadStatus w) -> -w.priority())
            .thenComparing(WorkloadStatus::createdAt)
            .thenComparing(WorkloadStatus::name);

    /** Where a handed-over allocation waits, in Kueue's words. */
    public record Waiting(int position, String reason) {
    }

    private final Map<String, WorkloadStatus> byAllocation = new HashMap<>();
    private final Map<String, Waiting> waiting = new HashMap<>();
    private final Map<String, Integer> pendingPerQueue = new HashMap<>();

    public KueueQueueView(Collection<WorkloadStatus> workloads) {
        for (WorkloadStatus w : workloads) {
            // A relaunched Job has a new Workload; the old one may linger, finished, until it is collected.
            byAllocation.merge(w.allocationId(), w, (a, b) -> current(a, b));
        }
        Map<String, List<WorkloadStatus>> pendingByQueue = new HashMap<>();
        for (WorkloadStatus w : byAllocation.values()) {
            if (w.phase() == WorkloadStatus.Phase.PENDING) {
                pendingByQueue.computeIfAbsent(w.queue(), q -> new ArrayList<>()).add(w);
            }
        }
        for (List<WorkloadStatus> queue : pendingByQueue.values()) {
            queue.sort(KUEUE_ORDER);
            pendingPerQueue.put(queue.get(0).queue(), queue.size());
            for (int i = 0; i < queue.size(); i++) {
                WorkloadStatus w = queue.get(i);
                waiting.put(w.allocationId(), new Waiting(i + 1, reasonOf(w, i + 1, queue.size())));
            }
        }
    }

    /** The Workload that stands for the allocation now, if Kueue has made one. */
    public Optional<WorkloadStatus> workloadOf(String allocationId) {
        return Optional.ofNullable(byAllocation.get(allocationId));
    }

    /**
     * Where an allocation handed to {@code queue} waits: its pending Workload's place and Kueue's message; behind the
     * known pending ones while Kueue has not made its Workload yet.
     */
    public Waiting waiting(String allocationId, String queue) {
        Waiting w = waiting.get(allocationId);
        if (w != null) {
            return w;
        }
        WorkloadStatus wl = byAllocation.get(allocationId);
        if (wl != null && wl.phase() == WorkloadStatus.Phase.EVICTED) {
            return new Waiting(1, "evicted by Kueue" + detail(wl) + "; its session is paused");
        }
        return new Waiting(pendingPerQueue.getOrDefault(queue, 0) + 1, "handed to Kueue (LocalQueue '" + queue + "'); its Workload is not there yet");
    }

    private static String reasonOf(WorkloadStatus w, int position, int of) {
        return "Kueue (LocalQueue '" + w.queue() + "', " + position + " of " + of + " pending): "
                + (w.message() != null ? w.message() : "waiting for quota in its ClusterQueue");
    }

    static String detail(WorkloadStatus w) {
        String reason = w.reason() == null ? "" : " (" + w.reason() + ")";
        return reason + (w.message() == null ? "" : ": " + w.message());
    }

    /** Of two Workloads of one allocation, the one that still matters: an unfinished one, else the newer. */
    private static WorkloadStatus current(WorkloadStatus a, WorkloadStatus b) {
        boolean aDone = a.phase() == WorkloadStatus.Phase.FINISHED;
        boolean bDone = b.phase() == WorkloadStatus.Phase.FINISHED;
        if (aDone != bDone) {
            return aDone ? b : a;
        }
        return a.createdAt().isAfter(b.createdAt()) ? a : b;
    }
}
