package io.keisei.resource.bench;

import io.keisei.contracts.allocation.AllocationState;
import io.keisei.resource.AllocationRecord;
import io.keisei.resource.ClusterNode;
import io.keisei.resource.Pool;
import io.keisei.resource.QueuePlan;
import io.keisei.resource.QueuePlanner;
import io.keisei.resource.Resources;
import io.keisei.resource.Role;
import io.keisei.resource.SessionQuotas;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Admission at cluster scale, on the planner itself (what every request, release and cluster change runs under the
 * pool lock): 100 nodes x 8 GPUs in one pool, other people's pods on a fifth of them, and 1,000 queued requests of
 * mixed sizes (1, 2, 4 and 8 GPUs, and CPU-only). Measured:
 * <ol>
 *   <li>admission decisions: 1,000 requests arrive one by one into a cluster that is half busy; each arrival runs the
 *       pass that decides it (as {@code POST /allocations} does), and a tenth of the running grants end between
 *       arrivals; p50, p99 and max per decision;</li>
 *   <li>a full re-plan: one pass over the whole queue of 1,000 (what a cluster change or the periodic rescan runs),
 *       repeated; median and p99.</li>
 * </ol>
 * Not in the default build ({@code @Tag("bench")}); run with
 * {@code ./mvnw -pl resource-service test -Dtest=PlacementBenchmark -Dresource.bench.excluded=none}; the report goes
 * to stdout and to {@code bench.out} when set.
 */
@Tag("bench")
class PlacementBenchmark {

    static final Instant T0 = Instant.parse("2026-12-07T00:00:00Z");
    static final int NODES = Integer.getInteger("bench.nodes", 100);
    static final int GPUS_PER_NODE = 8;
    static final int QUEUED = Integer.getInteger("bench.queued", 1000);
    static final int[] GPU_SIZES = {0, 1, 1, 2, 2, 4, 8};

    final QueuePlanner planner = new QueuePlanner(Duration.ofMinutes(1));
    final Random random = new Random(42);
    final StringBuilder report = new StringBuilder();
    int seq;

    @Test
    void run() throws Exception {
        List<ClusterNode> nodes = cluster();
        Pool pool = new Pool("gpu", "kubernetes", NODES * 96_000L, NODES * 1_048_576L, NODES * GPUS_PER_NODE, T0);
        line("# Placement at cluster scale (" + NODES + " nodes x " + GPUS_PER_NODE + " GPUs, " + QUEUED + " requests)");
        line("");
        line("JVM " + System.getProperty("java.vm.name") + " " + Runtime.version() + ", "
                + Runtime.getRuntime().availableProcessors() + " processors.");
        line("");
        for (int warm = 0; warm < 3; warm++) {
            decisions(pool, nodes); // JIT warm-up, not reported
        }
        long[] decisions = decisions(pool, nodes);
        line("## Admission decisions (one pass per arriving request, " + decisions.length + " arrivals)");
        line("");
        line("| p50 ms | p90 ms | p99 ms | max ms |");
        line("| ---: | ---: | ---: | ---: |");
        line(String.format("| %.3f | %.3f | %.3f | %.3f |", ms(pct(decisions, 50)), ms(pct(decisions, 90)),
                ms(pct(decisions, 99)), ms(decisions[decisions.length - 1])));
        line("");

        List<AllocationRecord> live = halfBusy(nodes);
        for (int i = 0; i < QUEUED; i++) {
            live.add(queued());
        }
        long[] replans = new long[50];
        QueuePlan last = null;
        for (int i = 0; i < replans.length + 10; i++) {
            long t = System.nanoTime();
            last = planner.plan(pool, nodes, live, T0.plusSeconds(3600), SessionQuotas.NONE);
            if (i >= 10) {
                replans[i - 10] = System.nanoTime() - t;
            }
        }
        Arrays.sort(replans);
        line("## Full re-plan (" + QUEUED + " queued, " + (live.size() - QUEUED) + " granted, " + replans.length + " passes)");
        line("");
        line("| median ms | p99 ms | grants in the pass | still waiting |");
        line("| ---: | ---: | ---: | ---: |");
        line(String.format("| %.2f | %.2f | %d | %d |", ms(pct(replans, 50)), ms(pct(replans, 99)), last.grants().size(),
                last.waiting().size()));
        String out = System.getProperty("bench.out");
        if (out != null) {
            Files.writeString(Path.of(out), report);
        }
        System.out.println(report);
    }

    /** 1,000 arrivals, each decided by a pass over everything live; a tenth of the grants end between arrivals. */
    long[] decisions(Pool pool, List<ClusterNode> nodes) {
        List<AllocationRecord> live = halfBusy(nodes);
        long[] times = new long[QUEUED];
        Instant now = T0;
        for (int i = 0; i < QUEUED; i++) {
            now = now.plusSeconds(1);
            live.add(queued(now));
            long t = System.nanoTime();
            QueuePlan plan = planner.plan(pool, nodes, live, now, SessionQuotas.NONE);
            times[i] = System.nanoTime() - t;
            apply(live, plan, now);
            if (i % 10 == 0) {
                endOneGrant(live);
            }
        }
        Arrays.sort(times);
        return times;
    }

    List<ClusterNode> cluster() {
        List<ClusterNode> nodes = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            // every fifth node also runs someone else's job with 2 GPUs and 16 CPU
            Resources others = i % 5 == 0 ? new Resources(16_000, 65_536, 2) : Resources.NONE;
            nodes.add(new ClusterNode(String.format("gpu-%03d", i), "gpu", new Resources(96_000, 1_048_576, GPUS_PER_NODE),
                    others, "NVIDIA-H100-80GB-HBM3", null));
        }
        return nodes;
    }

    /** About half of the cluster's GPUs granted, placed by the planner itself. */
    List<AllocationRecord> halfBusy(List<ClusterNode> nodes) {
        Pool pool = new Pool("gpu", "kubernetes", 0, 0, 0, T0);
        List<AllocationRecord> live = new ArrayList<>();
        int gpus = 0;
        while (gpus < NODES * GPUS_PER_NODE / 2) {
            AllocationRecord q = queued(T0);
            live.add(q);
            gpus += q.need().gpus() == 0 ? 1 : q.need().gpus();
        }
        QueuePlan plan = planner.plan(pool, nodes, live, T0, SessionQuotas.NONE);
        apply(live, plan, T0);
        live.removeIf(a -> a.state() == AllocationState.QUEUED);
        return live;
    }

    static void apply(List<AllocationRecord> live, QueuePlan plan, Instant now) {
        Map<String, QueuePlan.Grant> grants = new HashMap<>();
        plan.grants().forEach(g -> grants.put(g.allocation().id(), g));
        live.replaceAll(a -> {
            QueuePlan.Grant g = grants.get(a.id());
            return g == null ? a : a.granted(g.node(), g.gpuIndices(), now, null);
        });
    }

    void endOneGrant(List<AllocationRecord> live) {
        for (int tries = 0; tries < 50; tries++) {
            int i = random.nextInt(live.size());
            if (live.get(i).granted()) {
                live.remove(i);
                return;
            }
        }
    }

    AllocationRecord queued() {
        return queued(T0.plusSeconds(random.nextInt(3600)));
    }

    AllocationRecord queued(Instant created) {
        int gpus = GPU_SIZES[random.nextInt(GPU_SIZES.length)];
        long cpu = gpus == 0 ? 4_000 : gpus * 8_000L;
        return new AllocationRecord(UUID.nameUUIDFromBytes(String.valueOf(++seq).getBytes()).toString(), "s" + seq,
                "owner-" + (seq % 40), Role.TRAINER, random.nextInt(10) * 100, "gpu", AllocationState.QUEUED,
                new Resources(cpu, gpus == 0 ? 8_192 : gpus * 65_536L, gpus), List.of(), null, created, null, null, null);
    }

    static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    void line(String s) {
        report.append(s).append('\n');
    }
}
