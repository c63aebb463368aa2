package io.keisei.training.service;

import io.keisei.training.launcher.TrainerHandle;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The trainers this replica launched or re-attached: watches their exit, kills them when a stop
 * or pause outlives its grace period, and remembers why it killed one.
 */
@ApplicationScoped
public class TrainerSupervisor {

    private static final Logger LOG = Logger.getLogger(TrainerSupervisor.class);

    /** A watched trainer. */
    public static final class Watched {
        final String session;
        final int attempt;
        final TrainerHandle handle;
        final long launchedNanos = System.nanoTime();
        volatile String killReason;

        Watched(String session, int attempt, TrainerHandle handle) {
            this.session = session;
            this.attempt = attempt;
            this.handle = handle;
        }

        public TrainerHandle handle() {
            return handle;
        }

        public int attempt() {
            return attempt;
        }

        public Duration age() {
            return Duration.ofNanos(System.nanoTime() - launchedNanos);
        }
    }

    /**
     * What the exit callback learns.
     *
     * @param cause why the trainer's runtime ended it (OOMKilled, Evicted, Unschedulable, node lost), when it says; else null
     */
    public record Exit(String session, int attempt, int code, String killReason, String cause) {
    }

    private final Map<String, Watched> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "trainer-timers");
        t.setDaemon(true);
        return t;
    });

    public void watch(String session, int attempt, TrainerHandle handle, Consumer<Exit> onExit) {
        Watched w = new Watched(session, attempt, handle);
        running.put(session, w);
        handle.exit().whenComplete((code, error) -> {
            running.remove(session, w);
            int c = code == null ? -1 : code;
            try {
                onExit.accept(new Exit(session, attempt, c, w.killReason, handle.failureCause().orElse(null)));
            } catch (RuntimeException e) {
                LOG.errorf(e, "handling the exit of session %s attempt %d failed", session, attempt);
            }
        });
    }

    public Optional<Watched> get(String session) {
        return Optional.ofNullable(running.get(session));
    }

    public Map<String, Watched> all() {
        return Map.copyOf(running);
    }

    /** Kills the trainer if it is still running after {@code grace} (stop and pause give it time to checkpoint). */
    public void killAfter(String session, int attempt, Duration grace, String reason) {
        timers.schedule(() -> {
            Watched w = running.get(session);
            if (w != null && w.attempt == attempt && w.handle.isAlive()) {
                LOG.warnf("session %s attempt %d did not exit within %s; killing it", session, attempt, grace);
                w.killReason = reason;
                w.handle.kill();
            }
        }, grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Kills a trainer now, recording why. */
    public void kill(String session, String reason) {
        Watched w = running.get(session);
        if (w != null) {
            w.killReason = reason;
            w.handle.kill();
        }
    }

    public void terminate(String session) {
        Watched w = running.get(session);
        if (w != null) {
            w.handle.terminate();
        }
    }
}
