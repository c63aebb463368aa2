package io.keisei.training.service;

import io.keisei.training.launcher.TrainerHandle;
import io.keisei.training.persistence.Ownership;
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
 * or pause outlives its grace period, and remembers why it killed one. Each watch carries the
 * ownership epoch (fencing token) under which it was taken: whoever acts on its behalf checks that
 * epoch against the session's row first. A replica that lost its lease drops every watch without
 * touching the trainers ({@link #dropAll()}): their new owner re-attaches them.
 */
@ApplicationScoped
public class TrainerSupervisor {

    private static final Logger LOG = Logger.getLogger(TrainerSupervisor.class);

    /** A watched trainer. */
    public static final class Watched {
        final String session;
        final int attempt;
        final long epoch;
        final TrainerHandle handle;
        final long launchedNanos = System.nanoTime();
        volatile String killReason;
        /** Dropped (ownership lost): its exit is someone else's business. */
        volatile boolean dropped;

        Watched(String session, int attempt, long epoch, TrainerHandle handle) {
            this.session = session;
            this.attempt = attempt;
            this.epoch = epoch;
            this.handle = handle;
        }

        /** The ownership epoch of the session when this replica took the watch. */
        public long epoch() {
            return epoch;
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
     * @param epoch the ownership epoch the watch was taken under: the exit is acted on only while the session still has it
     */
    public record Exit(String session, int attempt, int code, String killReason, String cause, long epoch) {
    }

    private final Map<String, Watched> running = new ConcurrentHashMap<>();
    private final OwnershipFence fence;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "trainer-timers");
        t.setDaemon(true);
        return t;
    });

    public TrainerSupervisor(OwnershipFence fence) {
        this.fence = fence;
    }

    public void watch(String session, int attempt, long epoch, TrainerHandle handle, Consumer<Exit> onExit) {
        Watched w = new Watched(session, attempt, epoch, handle);
        Watched before = running.put(session, w);
        if (before != null && before != w) {
            before.dropped = true; // a newer watch of the same session (a re-adoption) replaces it
        }
        handle.exit().whenComplete((code, error) -> {
            running.remove(session, w);
            if (w.dropped) {
                return;
            }
            int c = code == null ? -1 : code;
            try {
                onExit.accept(new Exit(session, attempt, c, w.killReason, handle.failureCause().orElse(null), epoch));
            } catch (RuntimeException e) {
                LOG.errorf(e, "handling the exit of session %s attempt %d failed", session, attempt);
            }
        });
    }

    /** Stops watching a session's trainer without touching it: another replica owns it now. */
    public void drop(String session) {
        Watched w = running.remove(session);
        if (w != null) {
            w.dropped = true;
            LOG.infof("session %s: no longer owned by this replica; its trainer is left to its new owner", session);
        }
    }

    /** Drops every watch (this replica lost its lease); the trainers keep running for their next owner. */
    public void dropAll() {
        running.keySet().forEach(this::drop);
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
            if (w != null && w.attempt == attempt && !w.dropped && w.handle.isAlive() && owned(w)) {
                LOG.warnf("session %s attempt %d did not exit within %s; killing it", session, attempt, grace);
                w.killReason = reason;
                w.handle.kill();
            }
        }, grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Kills a trainer now, recording why. */
    public void kill(String session, String reason) {
        Watched w = running.get(session);
        if (w != null && owned(w)) {
            w.killReason = reason;
            w.handle.kill();
        }
    }

    /** A kill is an act on the session: only by its owner, checked in the database; a stale watch is dropped. */
    private boolean owned(Watched w) {
        if (fence.stillOwns(Ownership.Owned.SESSIONS, w.session, w.epoch)) {
            return true;
        }
        if (running.remove(w.session, w)) {
            w.dropped = true;
            LOG.infof("session %s: no longer owned by this replica; its trainer is left to its new owner", w.session);
        }
        return false;
    }

    public void terminate(String session) {
        Watched w = running.get(session);
        if (w != null) {
            w.handle.terminate();
        }
    }
}
