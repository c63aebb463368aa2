package io.keisei.training.service;

import io.keisei.common.rest.ProblemException;
import io.keisei.training.config.TrainingServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds trainer command lines: the built-in trainer, or a custom trainer from the configured
 * allow-list. Users pick a name; placeholders are filled with server-side values only, and each
 * argument stays one argument (no shell), so no input can inject a command.
 */
@ApplicationScoped
public class TrainerCommands {

    public static final String BUILTIN = "builtin";

    private final TrainingServiceConfig config;
    private final String redisUrl;

    public TrainerCommands(TrainingServiceConfig config, @ConfigProperty(name = "quarkus.redis.hosts") String redisUrl) {
        this.config = config;
        this.redisUrl = redisUrl.split(",")[0].trim();
    }

    /** The trainer names a session may use. */
    public Set<String> names() {
        Set<String> names = new java.util.LinkedHashSet<>();
        names.add(BUILTIN);
        names.addAll(config.trainer().custom().keySet());
        return names;
    }

    public void requireKnown(String trainer) {
        if (!names().contains(trainer)) {
            throw ProblemException.badRequest("trainer", "unknown trainer '" + trainer + "' (allowed: " + String.join(", ", names()) + ")");
        }
    }

    /** One attempt's values that commands may refer to. */
    public record Attempt(String session, int attempt, Path config, Path checkpointDir, Path resume, String controlCursor,
                          List<Integer> gpus) {
    }

    public List<String> command(String trainer, Attempt a) {
        if (BUILTIN.equals(trainer)) {
            List<String> cmd = new ArrayList<>();
            cmd.add(config.trainer().java().orElse(ProcessHandle.current().info().command().orElse("java")));
            for (String opt : config.trainer().jvmOptions().trim().split("\\s+")) {
                if (!opt.isBlank()) {
                    cmd.add(opt);
                }
            }
            cmd.addAll(List.of("-jar", Path.of(config.trainer().jar()).toAbsolutePath().toString(), "train",
                    "--session", a.session(), "--attempt", String.valueOf(a.attempt()), "--redis", redisUrl,
                    "--config", a.config().toString(), "--checkpoint-dir", a.checkpointDir().toString(),
                    "--control-cursor", a.controlCursor()));
            if (a.resume() != null) {
                cmd.addAll(List.of("--resume", a.resume().toString()));
            }
            return cmd;
        }
        String template = config.trainer().custom().get(trainer);
        if (template == null) {
            throw ProblemException.badRequest("trainer", "unknown trainer '" + trainer + "'");
        }
        Map<String, String> values = values(a);
        List<String> cmd = new ArrayList<>();
        for (String token : template.trim().split("\\s+")) {
            String t = token;
            for (Map.Entry<String, String> v : values.entrySet()) {
                t = t.replace("{" + v.getKey() + "}", v.getValue());
            }
            cmd.add(t);
        }
        return cmd;
    }

    /** Environment of every trainer: the protocol settings (the Keisei bridge reads them) and the GPUs. */
    public Map<String, String> environment(Attempt a) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KEISEI_SESSION_ID", a.session());
        env.put("KEISEI_ATTEMPT", String.valueOf(a.attempt()));
        env.put("KEISEI_REDIS_URL", redisUrl);
        env.put("KEISEI_CHECKPOINT_DIR", a.checkpointDir().toString());
        env.put("KEISEI_CONTROL_CURSOR", a.controlCursor());
        env.put("KEISEI_CONFIG_FILE", a.config().toString());
        if (a.resume() != null) {
            env.put("KEISEI_RESUME_CHECKPOINT", a.resume().toString());
        }
        // An empty list hides every GPU, so a CPU session never lands on a GPU someone else was granted.
        env.put("CUDA_VISIBLE_DEVICES", String.join(",", a.gpus().stream().map(String::valueOf).toList()));
        return env;
    }

    public Path workDir(String trainer, Path fallback) {
        if (!BUILTIN.equals(trainer) && config.trainer().customWorkDir().isPresent()) {
            return Path.of(config.trainer().customWorkDir().get());
        }
        return fallback;
    }

    private Map<String, String> values(Attempt a) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("config", a.config().toString());
        v.put("checkpoint_dir", a.checkpointDir().toString());
        v.put("resume", a.resume() == null ? "" : a.resume().toString());
        v.put("session", a.session());
        v.put("attempt", String.valueOf(a.attempt()));
        v.put("redis", redisUrl);
        return v;
    }
}
