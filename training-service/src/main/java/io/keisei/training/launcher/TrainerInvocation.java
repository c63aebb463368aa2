package io.keisei.training.launcher;

import io.keisei.common.stream.StreamsConfig;
import io.keisei.contracts.Streams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders a {@link LaunchRequest} into a trainer's arguments and environment, given where the
 * launcher puts the config file. Placeholders are filled with server-side values only and each
 * argument stays one argument (no shell), so no input can inject a command.
 */
@ApplicationScoped
public class TrainerInvocation {

    private static final Logger LOG = Logger.getLogger(TrainerInvocation.class);

    /** A template argument that stands for {@code --resume PATH} on a resumed attempt and for nothing on the first. */
    static final String RESUME_ARGS = "{resume_args}";

    private final String redisUrl;
    private final long stopGraceSeconds;
    private final Streams.MaxLengths maxLengths;
    private final Set<String> warnedRedisPlaceholder = ConcurrentHashMap.newKeySet();

    @Inject
    public TrainerInvocation(@ConfigProperty(name = "quarkus.redis.hosts") String redisHosts,
                             @ConfigProperty(name = "keisei.training.stop-grace") Duration stopGrace,
                             StreamsConfig streams) {
        this(redisHosts, stopGrace, StreamsConfig.maxLengthsOf(streams));
    }

    public TrainerInvocation(String redisHosts, Duration stopGrace) {
        this(redisHosts, stopGrace, Streams.MaxLengths.defaults());
    }

    public TrainerInvocation(String redisHosts, Duration stopGrace, Streams.MaxLengths maxLengths) {
        this.redisUrl = redisHosts.split(",")[0].trim();
        this.stopGraceSeconds = Math.max(1, stopGrace.toSeconds());
        this.maxLengths = maxLengths;
    }

    public TrainerInvocation(String redisHosts) {
        this(redisHosts, Duration.ofSeconds(60));
    }

    /**
     * The built-in trainer's arguments after {@code java -jar shogi-trainer.jar}, or a custom trainer's
     * whole command.
     */
    public List<String> arguments(LaunchRequest r, String configPath) {
        if (r.program().isBuiltin()) {
            // No --redis: the URL may hold a password, and a command line is readable by every local user (ps,
            // /proc); the trainer reads KEISEI_REDIS_URL from its environment instead.
            List<String> args = new ArrayList<>(List.of("train", "--session", r.sessionId(), "--attempt",
                    String.valueOf(r.attempt()), "--config", configPath, "--checkpoint-dir",
                    r.checkpointDir().toString(), "--control-cursor", r.controlCursor()));
            if (r.resumeCheckpoint() != null) {
                args.addAll(List.of("--resume", r.resumeCheckpoint().toString()));
            }
            return args;
        }
        Map<String, String> values = placeholders(r, configPath);
        List<String> cmd = new ArrayList<>();
        if (r.program().template().stream().anyMatch(t -> t.contains("{redis}")) && warnedRedisPlaceholder.add(r.program().name())) {
            LOG.warnf("trainer '%s' puts the Redis URL on its command line ({redis}), where any local user can read it: "
                    + "read KEISEI_REDIS_URL from the environment instead", r.program().name());
        }
        for (String token : r.program().template()) {
            if (RESUME_ARGS.equals(token)) {
                if (r.resumeCheckpoint() != null) {
                    cmd.add("--resume");
                    cmd.add(r.resumeCheckpoint().toString());
                }
                continue;
            }
            String t = token;
            for (Map.Entry<String, String> v : values.entrySet()) {
                t = t.replace("{" + v.getKey() + "}", v.getValue());
            }
            cmd.add(t);
        }
        return cmd;
    }

    /**
     * Environment of every trainer: the protocol settings (the Keisei bridge reads them; KEISEI_REDIS_URL is the
     * only way the Redis URL reaches the built-in trainer), the max lengths of the streams trainers write (this
     * service's keisei.streams.*.max-length, so a trainer trims as the services do, in a Kubernetes Job too) and the GPUs.
     */
    public Map<String, String> environment(LaunchRequest r, String configPath) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KEISEI_SESSION_ID", r.sessionId());
        env.put("KEISEI_ATTEMPT", String.valueOf(r.attempt()));
        env.put("KEISEI_REDIS_URL", redisUrl);
        env.put("KEISEI_CHECKPOINT_DIR", r.checkpointDir().toString());
        env.put("KEISEI_CONTROL_CURSOR", r.controlCursor());
        env.put("KEISEI_CONFIG_FILE", configPath);
        for (Streams.Limit l : new Streams.Limit[]{Streams.Limit.METRICS, Streams.Limit.GAMES, Streams.Limit.EVENTS}) {
            env.put(l.environmentVariable(), String.valueOf(maxLengths.of(l)));
        }
        // Wrappers of trainers that cannot stop at once (keisei-train) escalate their own signals inside this.
        env.put("KEISEI_STOP_GRACE_SECONDS", String.valueOf(stopGraceSeconds));
        if (r.resumeCheckpoint() != null) {
            env.put("KEISEI_RESUME_CHECKPOINT", r.resumeCheckpoint().toString());
        }
        // An empty list hides every GPU, so a CPU session never lands on a GPU someone else was granted.
        env.put("CUDA_VISIBLE_DEVICES", String.join(",", r.grant().gpuIndices().stream().map(String::valueOf).toList()));
        return env;
    }

    /**
     * Environment of a match: the Redis URL its live games are published through, the games stream's max length,
     * and no GPU (matches run on the CPU they were granted).
     */
    public Map<String, String> environment(MatchLaunch m) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KEISEI_REDIS_URL", redisUrl);
        env.put(Streams.Limit.GAMES.environmentVariable(), String.valueOf(maxLengths.of(Streams.Limit.GAMES)));
        env.put("CUDA_VISIBLE_DEVICES", "");
        return env;
    }

    private Map<String, String> placeholders(LaunchRequest r, String configPath) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("config", configPath);
        v.put("checkpoint_dir", r.checkpointDir().toString());
        v.put("resume", r.resumeCheckpoint() == null ? "" : r.resumeCheckpoint().toString());
        v.put("session", r.sessionId());
        v.put("attempt", String.valueOf(r.attempt()));
        // Kept so that existing templates keep working, but discouraged (documented, and warned about above):
        // expanding it to nothing would break those templates silently, and only operators write templates.
        v.put("redis", redisUrl);
        return v;
    }
}
