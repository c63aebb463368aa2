package io.keisei.resource.kueue;

import io.keisei.contracts.allocation.AllocationState;
import io.keisei.resource.AllocationRecord;
import io.keisei.resource.Pool;
import io.keisei.resource.QueuePlan;
import io.keisei.resource.QueuePlanner;
import io.keisei.resource.Resources;
import io.keisei.resource.SessionQuotas;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans a pool's queue under Kueue admission. Capacity is Kueue's business (its ClusterQueues' quotas); ours is the
 * per-role concurrent-session quota. So a queued request is handed to Kueue as soon as its owner's quota allows, and
 * a request handed over holds its owner's place just as a granted one does. Pure, like {@link QueuePlanner}, which it
 * reuses with a pool large enough for everything: only quotas stop a request.
 *
 * <p>The plan's {@link QueuePlan#grants() grants} are the requests to hand to Kueue now (no GPUs, no node: Kueue
 * and the scheduler place the pod); its waiting list holds the requests waiting for their owner's quota (with the
 * quota's reason) and, after them, the handed-over ones with their place and message in Kueue's queue.
 */
public final class KueuePlanner {

    private final QueuePlanner quotas;

    public KueuePlanner(QueuePlanner quotas) {
        this.quotas = quotas;
    }

    public QueuePlan plan(Pool pool, List<AllocationRecord> live, Instant now, SessionQuotas sessionQuotas,
                          KueueQueueView kueue) {
        List<AllocationRecord> forQuotas = new ArrayList<>(live.size());
        List<AllocationRecord> handedOver = new ArrayList<>();
        Resources everything = Resources.NONE;
        Resources granted = Resources.NONE;
        for (AllocationRecord a : live) {
            if (a.state() == AllocationState.QUEUED && a.handedToKueue()) {
                handedOver.add(a);
                // In Kueue's hands it runs as far as its owner's quota goes: counted like a granted one, holding nothing here.
                forQuotas.add(new AllocationRecord(a.id(), a.session(), a.owner(), a.role(), a.priority(), a.pool(),
                        AllocationState.GRANTED, Resources.NONE, List.of(), a.reason(), a.createdAt(), now, null, null,
                        null, null, a.kueueQueue()));
            } else {
                forQuotas.add(a);
                everything = everything.plus(a.need());
                granted = a.state() == AllocationState.GRANTED ? granted.plus(a.need()) : granted;
            }
        }
        Pool unbounded = new Pool(pool.name(), pool.kind(), everything.cpuMillis(), everything.memoryMb(), everything.gpus(),
                pool.discoveredAt());
        QueuePlan byQuota = quotas.plan(unbounded, forQuotas, now, sessionQuotas);
        List<QueuePlan.Grant> handOver = byQuota.grants().stream()
                .map(g -> new QueuePlan.Grant(g.allocation(), List.of(), null)).toList();
        List<QueuePlan.Waiting> waiting = new ArrayList<>(byQuota.waiting());
        for (AllocationRecord a : handedOver) {
            KueueQueueView.Waiting w = kueue.waiting(a.id(), a.kueueQueue());
            waiting.add(new QueuePlan.Waiting(a, w.position(), w.reason(), QueuePlan.Cause.RESOURCES));
        }
        Resources capacity = new Resources(pool.cpuMillis(), pool.memoryMb(), pool.gpuCount());
        return new QueuePlan(capacity, capacity.minusFloorZero(granted), handOver, waiting);
    }
}
