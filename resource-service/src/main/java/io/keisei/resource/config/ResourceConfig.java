package io.keisei.resource.config;

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

    Local local();

    Queue queue();

    Limits limits();

    Events events();

    /** The local-host pool. */
    interface Local {
        /** Name of the pool that stands for this host; requests without a pool go here. */
        @WithDefault("local")
        String poolName();

        /** Overrides the discovered CPU capacity (millicores). */
        OptionalLong cpuMillis();

        /** Overrides the discovered memory capacity (MiB). */
        OptionalLong memoryMb();

        /** Overrides the GPU count (GPUs are not discovered yet, so 0 without it). */
        OptionalInt gpuCount();
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
    interface Events {
        /** Consumer name of this replica; defaults to HOSTNAME-pid. */
        Optional<String> consumerName();

        @WithDefault("100")
        int batchSize();

        /** How long one XREADGROUP waits for new entries. */
        @WithDefault("1s")
        Duration block();

        /** Pending entries idle this long belong to a dead replica and are reclaimed. */
        @WithDefault("30s")
        Duration claimIdle();
    }
}
