package io.keisei.training.config;

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
         * Placeholders: {config} {checkpoint_dir} {resume} {session} {attempt} {redis}. API users choose a
         * name, never a command.
         */
        Map<String, String> custom();

        /** Working directory of custom trainers. */
        Optional<String> customWorkDir();
    }

    /** Where resource-service answers. */
    interface ResourceService {
        URI url();

        @WithDefault("3s")
        Duration timeout();
    }

    /** Roles allowed to be passed through to resource-service quotas. */
    @WithDefault("admin,trainer,researcher,viewer")
    List<String> roles();
}
