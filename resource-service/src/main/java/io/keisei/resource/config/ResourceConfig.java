package io.keisei.resource.config;

import io.keisei.common.outbox.OutboxConfig;
import io.keisei.common.stream.ConsumerConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * resource-service settings. Every key has an environment form: keisei.resources.local.cpu-millis
 * is KEISEI_RESOURCES_LOCAL_CPU_MILLIS, keisei.resources.queue.ageing-step is
 * KEISEI_RESOURCES_QUEUE_AGEING_STEP, and so on.
 */
@ConfigMapping(prefix = "keisei.resources")
public interface ResourceConfig {

    /**
     * {@code local}: this host is the one pool ({@code ./keisei up}); {@code kubernetes}: the pools are a cluster's
     * nodes, grouped by a node label, with other people's pods counted (what the prod overlay sets).
     */
    @WithDefault("local")
    Mode mode();

    enum Mode {
        LOCAL, KUBERNETES
    }

    /**
     * Who decides when a request starts: {@code keisei} (resource-service plans its pools' queues) or {@code kueue}
     * (cluster mode only: a request within its owner's quota is handed to a Kueue LocalQueue, its trainer Job is
     * created suspended, and Kueue's admission of the Job's Workload grants it; docs/deploy.md#kueue-admission).
     */
    @WithDefault("keisei")
    Admission admission();

    enum Admission {
        KEISEI, KUEUE
    }

    Kueue kueue();

    /** Kueue admission ({@code admission=kueue}). */
    interface Kueue {
        /** The LocalQueue (in the trainers' namespace) that requests are handed to. */
        @WithDefault("keisei")
        String localQueue();

        /** A pool's own LocalQueue, by pool name (e.g. {@code pool-queues.h100=gpu-h100}); others use {@link #localQueue()}. */
        java.util.Map<String, String> poolQueues();

        /** The namespace of the trainer Jobs and so of their Workloads; empty = this pod's namespace. */
        Optional<String> namespace();

        /** The Workload API version Kueue serves. */
        @WithDefault("kueue.x-k8s.io/v1beta1")
        String apiVersion();

        /** The LocalQueue a request for {@code pool} is handed to. */
        default String queueOf(String pool) {
            return poolQueues().getOrDefault(pool, localQueue());
        }
    }

    Local local();

    Kubernetes kubernetes();

    Queue queue();

    Limits limits();

    Events events();

    Gpu gpu();

    Quotas quotas();

    Preemption preemption();

    Lease lease();

    SystemStatus system();

    Outbox outbox();

    /** The local-host pool. */
    interface Local {
        /** Name of the pool that stands for this host; requests without a pool go here. */
        @WithDefault("local")
        String poolName();

        /** Overrides the discovered CPU capacity (millicores). */
        OptionalLong cpuMillis();

        /** Overrides the discovered memory capacity (MiB). */
        OptionalLong memoryMb();

        /** Overrides the GPU count that nvidia-smi discovery finds (the pool has GPUs 0..n-1). */
        OptionalInt gpuCount();
    }

    /** Cluster mode ({@code mode=kubernetes}): where the nodes' pools, GPUs and trainer tolerations come from. */
    interface Kubernetes {
        /** The node label that names a node's pool; nodes without it are in {@link #defaultPool()}. */
        @WithDefault("keisei.io/pool")
        String poolLabel();

        /** The pool of unlabelled nodes, and of requests that name no pool. */
        @WithDefault("default")
        String defaultPool();

        /** The extended resource that counts a node's GPUs. */
        @WithDefault("nvidia.com/gpu")
        String gpuResource();

        /** The node label with the GPU model (set by NVIDIA's GPU feature discovery). */
        @WithDefault("nvidia.com/gpu.product")
        String gpuProductLabel();

        /**
         * The tolerations of trainer Jobs, as training-service's {@code keisei.training.kubernetes.tolerations}
         * ({@code key:Operator[:value]:Effect}, comma separated): a node with a NoSchedule or NoExecute taint none of
         * them tolerates takes no trainers.
         */
        Optional<String> tolerations();

        /** How often the node and pod informers re-deliver their whole cache (a safety net beside the watch). */
        @WithDefault("10m")
        Duration informerResync();

        /**
         * A trainer pod of a grant that stays Unschedulable this long (someone else took the node's space between the
         * grant and the Job) has its allocation put back in the queue at its old place. Shorter than training-service's
         * stuck timeout, which would fail the attempt instead.
         */
        @WithDefault("60s")
        Duration requeueUnschedulableAfter();

        /** Changes are gathered for this long before the pools are recomputed and re-planned. */
        @WithDefault("500ms")
        Duration settle();
    }

    /** Admission and queueing. */
    interface Queue {
        /** Waiting time worth one priority point (ageing, so nothing starves); 0 turns ageing off. */
        @WithDefault("1m")
        Duration ageingStep();

        /**
         * How often every pool's queue is re-examined, as a safety net besides the passes made on
         * every request and release ("off" disables it).
         */
        @WithDefault("60s")
        String rescanInterval();

        /** How long an admission waits for the pool lock before answering 503. */
        @WithDefault("10s")
        Duration lockTimeout();
    }

    /** Requests beyond these are rejected as invalid (400), whatever the pool. */
    interface Limits {
        /** 1024 cores. */
        @WithDefault("1024000")
        long maxCpuMillis();

        /** 16 TiB. */
        @WithDefault("16777216")
        long maxMemoryMb();

        @WithDefault("64")
        int maxGpus();
    }

    /** The consumer of keisei:events that releases the allocations of ended sessions. */
    interface Events extends ConsumerConfig {
    }

    /** GPU discovery through nvidia-smi. */
    interface Gpu {
        /** false: never run nvidia-smi (the pool has the overridden GPU count, or none). */
        @WithDefault("true")
        boolean discovery();

        /** The nvidia-smi executable: a name looked up on PATH, or a path. */
        @WithDefault("nvidia-smi")
        String command();

        /** How long one nvidia-smi query may take before it is killed and counts as failed. */
        @WithDefault("5s")
        Duration timeout();

        /** How often GPUs are queried again (utilisation and memory for system status; "off" disables). */
        @WithDefault("2s")
        String refreshInterval();

        /**
         * Consecutive failed queries after which GPUs found earlier are dropped from the pool
         * (one hung query should not take the GPUs away; a broken driver should).
         */
        @WithDefault("3")
        int failureThreshold();
    }

    /**
     * Quotas per role (ARCHITECTURE.md: trainer 2 concurrent sessions and 24 GPU-hours a day,
     * researcher 1 and 8, viewer none, admin unlimited). A negative value means unlimited.
     */
    interface Quotas {
        Quota admin();

        Quota trainer();

        Quota researcher();

        Quota viewer();
    }

    /** One role's quota; negative = unlimited. */
    interface Quota {
        /** Granted allocations (running sessions) an owner may hold at once; 0 = may not run any. */
        @WithDefault("-1")
        int concurrentSessions();

        /** GPU-hours an owner may use in any 24 hours; 0 = may not use GPUs. */
        @WithDefault("-1")
        double gpuHoursPerDay();
    }

    /** Preemption of lower-priority running sessions (paused through an event, never killed). */
    interface Preemption {
        @WithDefault("false")
        boolean enabled();

        /** A request may preempt allocations whose priority is at least this much below its own. */
        @WithDefault("1")
        int minPriorityGap();
    }

    /** Leases: granted allocations whose trainer never heartbeats, or stops, are released. */
    interface Lease {
        @WithDefault("true")
        boolean enabled();

        /** Time after the grant for the trainer's first heartbeat. */
        @WithDefault("120s")
        Duration startupGrace();

        /**
         * How long a seen heartbeat keeps the lease. Longer than training-service's own heartbeat
         * timeout, so that training-service (which also stops the trainer) acts first.
         */
        @WithDefault("30s")
        Duration renewal();

        /** How often leases are checked ("off" disables the check). */
        @WithDefault("5s")
        String checkInterval();
    }

    /** System status sampling (CPU, memory, GPUs) published on keisei:system. */
    interface SystemStatus {
        /** Sampling period ("off" disables sampling and publishing). */
        @WithDefault("1s")
        String interval();
    }

    /** The transactional outbox of allocation events (docs/stream-protocol.md#delivery). */
    interface Outbox extends OutboxConfig {
    }
}
