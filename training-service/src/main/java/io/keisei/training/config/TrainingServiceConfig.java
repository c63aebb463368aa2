package io.keisei.training.config;

import io.keisei.common.outbox.OutboxConfig;
import io.keisei.common.stream.ConsumerConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** training-service settings. Env: KEISEI_TRAINING_* (see application.properties). */
@ConfigMapping(prefix = "keisei.training")
public interface TrainingServiceConfig {

    /** Where checkpoints, trainer logs and per-attempt config files live. */
    String dataDir();

    Trainer trainer();

    /** How long a stop or pause may take (checkpoint included) before the trainer is killed. */
    @WithDefault("60s")
    Duration stopGrace();

    /** A running trainer whose heartbeat key is missing this long is declared dead. */
    @WithDefault("12s")
    Duration heartbeatTimeout();

    /** Grace after launch before heartbeats are required (JVM start, first connection). */
    @WithDefault("30s")
    Duration startupGrace();

    ResourceService resourceService();

    /** The keisei:events consumer (group "training-service"): trainer starts, checkpoints, grants, preemptions. */
    Events events();

    interface Events extends ConsumerConfig {
    }

    /** The transactional outbox of lifecycle events (docs/stream-protocol.md#delivery). */
    Outbox outbox();

    interface Outbox extends OutboxConfig {
    }

    /** How trainers run: {@code process} (children of this service) or {@code kubernetes} (one Job per attempt). */
    @WithDefault("process")
    String launcher();

    Kubernetes kubernetes();

    /** Trainer Jobs (launcher = kubernetes). */
    interface Kubernetes {
        /** Namespace of the Jobs; defaults to the client's (the pod's own namespace in a cluster). */
        Optional<String> namespace();

        /** The trainer image; its entrypoint is {@code java -jar shogi-trainer.jar}. */
        @WithDefault("keisei/shogi-trainer:0.1.0")
        String image();

        /**
         * Images of custom trainers by name, e.g. {@code images.keisei-2026=registry/keisei-train-webui:2026.05}: an
         * image with that Keisei and examples/keisei-bridge (docs/keisei-2026.md). A custom trainer without one runs in
         * {@link #image()}.
         */
        Map<String, String> images();

        /** ServiceAccount of trainer pods. */
        @WithDefault("shogi-trainer")
        String serviceAccount();

        /** PersistentVolumeClaim with the data dir (checkpoints), mounted at the same path as here. */
        Optional<String> claim();

        /** Where the training-service pod mounts that claim (KEISEI_DATA_DIR); trainers mount it there too. */
        @WithDefault("/var/lib/keisei")
        String claimMountPath();

        /**
         * Node selector of GPU trainers that resource-service did not place on a node (local admission, Kueue):
         * {@code key=value[,key=value]}. A grant placed on a node is pinned there, and the selector is not added.
         */
        Optional<String> nodeSelector();

        /**
         * Tolerations of every trainer and match Job: {@code key:Operator[:value]:Effect[,...]} (Operator Exists or
         * Equal). Set resource-service's {@code keisei.resources.kubernetes.tolerations} alike: it places work only
         * on nodes whose taints these tolerate.
         */
        Optional<String> tolerations();

        /** The extended resource a trainer's GPUs are requested as (as resource-service's gpu-resource). */
        @WithDefault("nvidia.com/gpu")
        String gpuResource();

        /**
         * The Secret key trainer Jobs read KEISEI_REDIS_URL from, as {@code secret-name/key} (e.g. keisei-redis/url),
         * so a Redis password never appears in a Job spec; unset, the URL is written into the Job as a value.
         */
        Optional<String> redisSecret();

        /**
         * How long a trainer pod may stay unable to run (Unschedulable, ImagePullBackOff, ErrImagePull, a config error)
         * before its attempt fails with that reason: Kubernetes itself would retry for ever.
         */
        @WithDefault("10m")
        Duration stuckTimeout();

        /** How often the Job and Pod informers re-deliver their whole cache (a safety net beside the watch). */
        @WithDefault("10m")
        Duration informerResync();

        /** Finished Jobs are removed by Kubernetes after this long (the service deletes them sooner). */
        @WithDefault("1h")
        Duration ttlAfterFinished();
    }

    /** The built-in trainer and the allow-list of custom trainer commands. */
    interface Trainer {
        /** The shogi-trainer jar. */
        String jar();

        /** The java binary that runs it; defaults to the one running this service. */
        Optional<String> java();

        /** JVM options of trainer processes. */
        @WithDefault("-Xmx1g -XX:+UseSerialGC")
        String jvmOptions();

        /**
         * Custom trainer command templates by name, e.g. keisei = python train.py train --config {config}.
         * Placeholders: {config} {checkpoint_dir} {resume} {session} {attempt}; the argument {resume_args} becomes
         * --resume PATH on a resumed attempt and nothing on the first; and {redis} (discouraged: it puts the
         * URL on the command line; trainers read KEISEI_REDIS_URL). API users choose a name, never a command.
         */
        Map<String, String> custom();

        /**
         * The config dialect of custom trainers by name ({@code keisei-2025} when not set; {@code keisei-2026} for
         * keisei-train's TOML through examples/keisei-bridge/keisei_train_webui.py). Decides how a session's config
         * is validated and which file the trainer receives.
         */
        Map<String, String> dialect();

        /** Working directory of custom trainers. */
        Optional<String> customWorkDir();

        /**
         * Scheduling niceness of trainer processes (0-19; 0 = as the services). Trainers are batch work: on a
         * machine shared with the suite, the API and live views must win the CPU when both want it.
         */
        @WithDefault("10")
        int nice();

        /**
         * Run trainers under the idle scheduling class (Linux SCHED_IDLE, via chrt) instead of only niced: they
         * get every cycle nothing else wants, and any service thread that wakes up runs at once. Niceness alone
         * still lets several busy trainers delay a request by a scheduler slice or more.
         */
        @WithDefault("true")
        boolean idlePriority();
    }

    /** Where resource-service answers. */
    interface ResourceService {
        URI url();

        @WithDefault("3s")
        Duration timeout();
    }

    /** Replicas, leases and fencing (docs/training-orchestrator.md#replicas-leases-and-fencing). */
    Replicas replicas();

    /**
     * Several replicas may run; each session's trainer is supervised by exactly one, the owner named in its row. A
     * replica proves it is alive by renewing a lease row in PostgreSQL; the sessions of a replica whose lease expired
     * are taken over by another.
     */
    interface Replicas {
        /** This replica's name (the pod name in a cluster); defaults to HOSTNAME. A random suffix makes each registration unique. */
        Optional<String> name();

        /** A lease not renewed for this long has expired: its sessions go to another replica, and it never acts again. */
        @WithDefault("15s")
        Duration leaseDuration();

        /** How often the lease is renewed (well under the lease duration). */
        @WithDefault("3s")
        Duration renewEvery();

        /** How often a replica looks for sessions whose owner's lease expired, and takes them over. */
        @WithDefault("5s")
        Duration takeoverEvery();
    }

    /** Roles allowed to be passed through to resource-service quotas. */
    @WithDefault("admin,trainer,researcher,viewer")
    List<String> roles();
}
