package io.keisei.training.launcher;

import io.keisei.contracts.AllocationInfo;
import io.keisei.training.persistence.SessionFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A trainer is user-chosen code that needs Redis and nothing else of the service: it inherits the service's
 * environment without the service credential and the other secrets, and finds the Redis URL (which may hold a
 * password) in KEISEI_REDIS_URL, never on its command line, which every local user can read.
 */
class TrainerEnvironmentTest {

    static final String REDIS = "redis://:redis-password@127.0.0.1:1";

    /** A "java" that ignores the built-in trainer's arguments and sleeps, so that its /proc entries can be read. */
    record FakeJava(String path) implements io.keisei.training.config.TrainingServiceConfig.Trainer {
        public String jar() {
            return "shogi-trainer.jar";
        }

        public Optional<String> java() {
            return Optional.of(path);
        }

        public String jvmOptions() {
            return "-Xmx64m";
        }

        public Map<String, String> custom() {
            return Map.of();
        }

        @Override
        public Map<String, String> dialect() {
            return Map.of();
        }

        public Optional<String> customWorkDir() {
            return Optional.empty();
        }

        public int nice() {
            return 0; // no nice, no chrt: the pid is the trainer's own
        }

        public boolean idlePriority() {
            return false;
        }
    }

    static Map<String, String> proc(long pid, String file) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : Files.readString(Path.of("/proc/" + pid + "/" + file), StandardCharsets.UTF_8).split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return env;
    }

    static List<String> commandLine(long pid) throws Exception {
        return Arrays.asList(Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.UTF_8).split("\0"));
    }

    @Test
    void theBuiltInTrainerGetsNoServiceSecretAndNoRedisUrlOnItsCommandLine(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "Linux");
        Path java = dir.resolve("fake-java");
        Files.writeString(java, "#!/bin/sh\nsleep 30\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        // What training-service itself runs with under ./keisei up or on Kubernetes.
        Map<String, String> serviceEnv = new HashMap<>(System.getenv());
        serviceEnv.putAll(Map.of(
                "KEISEI_SERVICE_TOKEN", "service-credential-service-credential",
                "KEISEI_ADMIN_TOKEN", "kst_admin-token-admin-token",
                "KEISEI_DB_URL", "jdbc:postgresql://db:5432/keisei?password=db-password",
                "KEISEI_DB_USER", "keisei",
                "KEISEI_DB_PASSWORD", "db-password",
                "QUARKUS_DATASOURCE_PASSWORD", "db-password",
                "KEISEI_REDIS_URL", REDIS,
                "KEISEI_TRAINER_HEARTBEAT_TTL_SECONDS", "7"));
        ProcessTrainerLauncher launcher = new ProcessTrainerLauncher(new SessionFiles(dir), new TrainerInvocation(REDIS),
                new FakeJava(java.toString()), serviceEnv);
        LaunchRequest r = new LaunchRequest("env-test", 1, TrainerProgram.builtin(), new TrainerConfigFile("config.json", "{}"), dir.resolve("checkpoints"), null, "0-0",
                new AllocationInfo("a", "local", 1000, 512, List.of(), null, null));

        TrainerHandle h = launcher.launch(r);
        long pid = Long.parseLong(h.id().substring(4));
        try {
            // Until the exec is done, /proc shows the JVM's spawn helper.
            long deadline = System.currentTimeMillis() + 5000;
            while (!commandLine(pid).contains("train") && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            List<String> cmd = commandLine(pid);
            assertThat(cmd).contains("train", "--session", "env-test").doesNotContain("--redis");
            assertThat(String.join(" ", cmd)).doesNotContain("redis://", "redis-password");

            Map<String, String> env = proc(pid, "environ");
            assertThat(env).containsEntry("KEISEI_REDIS_URL", REDIS).containsEntry("KEISEI_SESSION_ID", "env-test")
                    .containsEntry("KEISEI_TRAINER_HEARTBEAT_TTL_SECONDS", "7").containsKey("PATH")
                    .doesNotContainKeys("KEISEI_SERVICE_TOKEN", "KEISEI_ADMIN_TOKEN", "KEISEI_DB_URL", "KEISEI_DB_USER",
                            "KEISEI_DB_PASSWORD", "QUARKUS_DATASOURCE_PASSWORD");
            assertThat(String.join(" ", env.values())).doesNotContain("service-credential", "admin-token", "db-password");
        } finally {
            h.kill();
        }
    }

    @Test
    void customTemplatesStillGetTheRedisPlaceholderButTheBuiltInArgumentsNever(@TempDir Path dir) {
        TrainerInvocation invocation = new TrainerInvocation(REDIS);
        LaunchRequest builtin = new LaunchRequest("s", 2, TrainerProgram.builtin(), new TrainerConfigFile("config.json", "{}"), dir, dir.resolve("ck.bin"), "0-0",
                new AllocationInfo("a", "local", 1000, 512, List.of(), null, null));
        assertThat(invocation.arguments(builtin, "/c.json")).doesNotContain("--redis", REDIS)
                .contains("--session", "s", "--resume", dir.resolve("ck.bin").toString());
        assertThat(invocation.environment(builtin, "/c.json")).containsEntry("KEISEI_REDIS_URL", REDIS);

        LaunchRequest custom = new LaunchRequest("s", 1, new TrainerProgram("legacy", List.of("python", "t.py", "--redis", "{redis}")),
                new TrainerConfigFile("config.json", "{}"), dir, null, "0-0", new AllocationInfo("a", "local", 1000, 512, List.of(), null, null));
        assertThat(invocation.arguments(custom, "/c.json")).containsExactly("python", "t.py", "--redis", REDIS);
    }

    @Test
    void resumeArgsAreTwoArgumentsOnAResumedAttemptAndNoneOnTheFirst(@TempDir Path dir) {
        TrainerInvocation invocation = new TrainerInvocation(REDIS, java.time.Duration.ofSeconds(45));
        TrainerProgram keisei = new TrainerProgram("keisei-2025", List.of("python", "train_webui.py", "train", "--config", "{config}",
                "--savedir", "{checkpoint_dir}", "{resume_args}"));
        AllocationInfo grant = new AllocationInfo("a", "local", 1000, 512, List.of(), null, null);
        LaunchRequest first = new LaunchRequest("s", 1, keisei, new TrainerConfigFile("config.json", "{}"), dir, null, "0-0", grant);
        assertThat(invocation.arguments(first, "/c.json"))
                .containsExactly("python", "train_webui.py", "train", "--config", "/c.json", "--savedir", dir.toString());
        Path checkpoint = dir.resolve("checkpoint_ts4096.pth");
        LaunchRequest resumed = new LaunchRequest("s", 2, keisei, new TrainerConfigFile("config.json", "{}"), dir, checkpoint, "0-0", grant);
        assertThat(invocation.arguments(resumed, "/c.json")).endsWith("--resume", checkpoint.toString());
        // A wrapper that has to escalate its own signals (keisei-train) must finish inside the service's grace.
        assertThat(invocation.environment(resumed, "/c.json")).containsEntry("KEISEI_STOP_GRACE_SECONDS", "45");
    }
}
