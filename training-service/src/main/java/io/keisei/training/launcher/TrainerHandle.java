package io.keisei.training.launcher;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A launched trainer, however it runs (a local process today, a Kubernetes Job later). */
public interface TrainerHandle {

    /** Stable text that finds the trainer again after a service restart (e.g. "pid:1234"). */
    String id();

    boolean isAlive();

    /** Completes with the exit code when the trainer ends; -1 when the code cannot be known. */
    CompletableFuture<Integer> exit();

    /** Asks the trainer to end (SIGTERM for processes): it checkpoints and exits. */
    void terminate();

    /** Ends the trainer now (SIGKILL for processes). */
    void kill();

    /**
     * Why the trainer ended badly, when its runtime says more than an exit code (OOMKilled, Evicted, Unschedulable,
     * node lost, ...); read once {@link #exit()} completed.
     */
    default Optional<String> failureCause() {
        return Optional.empty();
    }

    /** The last {@code lines} lines of its output while it runs, when they are not in the session's log file yet. */
    default Optional<String> liveLog(int lines) {
        return Optional.empty();
    }

    /** Waits up to {@code timeout} for the end. */
    default boolean awaitExit(Duration timeout) {
        try {
            exit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return !isAlive();
        }
    }
}
