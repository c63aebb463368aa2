package io.keisei.training.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.AllocationInfo;
import io.keisei.contracts.ControlCommand;
import io.keisei.contracts.TrainerExitCodes;
import io.keisei.contracts.allocation.AllocationRequest;
import io.keisei.contracts.api.Session;
import io.keisei.contracts.api.SessionState;
import io.keisei.contracts.config.ConfigDialect;
import io.keisei.contracts.config.ConfigValidator;
import io.keisei.contracts.config.Keisei2026Schema;
import io.keisei.training.client.AllocationClient;
import io.keisei.training.config.TrainingServiceConfig;
import io.keisei.training.launcher.LaunchRequest;
import io.keisei.training.launcher.TrainerConfigFile;
import io.keisei.training.launcher.TrainerConfigFiles;
import io.keisei.training.launcher.TrainerHandle;
import io.keisei.training.launcher.TrainerLauncher;
import io.keisei.training.launcher.TrainerProgram;
import io.keisei.training.launcher.TrainerPrograms;
import io.keisei.training.persistence.AttemptEntity;
import io.keisei.training.persistence.CheckpointEntity;
import io.keisei.training.persistence.SessionEntity;
import io.keisei.training.persistence.SessionFiles;
import io.keisei.training.stream.ControlPublisher;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The session state machine driven by API calls and by what trainers do. Every transition
 * happens on a row locked with SELECT ... FOR UPDATE, so concurrent requests on one session
 * serialise and never corrupt it; events are published after commit.
 *
 * <p>Several replicas may run (docs/training-orchestrator.md#replicas-leases-and-fencing). Any replica applies a
 * command or a trainer's report to the row; what needs the trainer itself (launching it, watching its exit, killing
 * it, re-attaching it) is done only by the session's owner, under the fencing check of {@link OwnershipFence}. The
 * replica that launches a trainer becomes the session's owner.
 */
@ApplicationScoped
public class SessionLifecycle {

    private static final Logger LOG = Logger.getLogger(SessionLifecycle.class);
    private static final Set<SessionState> RESUMABLE = EnumSet.of(SessionState.PAUSED, SessionState.STOPPED, SessionState.FAILED);

    private final SessionService sessions;
    private final Transitions transitions;
    private final AllocationClient allocations;
    private final TrainerLauncher launcher;
    private final TrainerSupervisor supervisor;
    private final TrainerPrograms programs;
    private final ControlPublisher control;
    private final SessionFiles files;
    private final TrainingServiceConfig config;
    private final OwnershipFence fence;
    /** Spawns trainers after the start or resume has been answered (the client follows the state through events). */
    private final java.util.concurrent.ExecutorService launches = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "trainer-launch");
        t.setDaemon(true);
        return t;
    });

    public SessionLifecycle(SessionService sessions, Transitions transitions, AllocationClient allocations,
                            TrainerLauncher launcher, TrainerSupervisor supervisor, TrainerPrograms programs,
                            ControlPublisher control, SessionFiles files, TrainingServiceConfig config,
                            OwnershipFence fence) {
        this.fence = fence;
        this.sessions = sessions;
        this.transitions = transitions;
        this.allocations = allocations;
        this.launcher = launcher;
        this.supervisor = supervisor;
        this.programs = programs;
        this.control = control;
        this.files = files;
        this.config = config;
    }

    @jakarta.annotation.PreDestroy
    void close() {
        launches.shutdown();
    }

    /** created → queued: the first attempt. */
    public Session start(String id) {
        return enqueue(id, EnumSet.of(SessionState.CREATED), false);
    }

    /** paused, stopped or failed → queued: a new attempt from the latest checkpoint (none yet: from the start). */
    public Session resume(String id) {
        return enqueue(id, RESUMABLE, true);
    }

    private Session enqueue(String id, Set<SessionState> allowed, boolean resume) {
        Transitions.Pending pending = new Transitions.Pending();
        record Queued(int attempt, AllocationRequest request) {
        }
        Queued q = QuarkusTransaction.requiringNew().call(() -> {
            SessionEntity e = lock(id);
            SessionState state = SessionState.fromWire(e.state);
            if (!allowed.contains(state)) {
                throw ProblemException.conflict("session '" + id + "' is " + state.wire() + "; "
                        + (resume ? "resume" : "start") + " needs " + names(allowed), state.wire());
            }
            e.attemptCount++;
            AttemptEntity a = new AttemptEntity();
            a.sessionId = id;
            a.attempt = e.attemptCount;
            a.createdAt = Instant.now();
            // A resume continues from the session's own newest checkpoint; without one (stopped or failed before
            // it ever saved one) it starts over as a start would: from the model it was made from, if any.
            a.resumeCheckpointId = resume && e.latestCheckpointId != null ? e.latestCheckpointId : e.resumeFromCheckpointId;
            a.persist();
            transitions.move(e, SessionState.QUEUED, null, pending);
            return new Queued(a.attempt, requestFor(e));
        });
        // session.queued is relayed with what follows, in one pass: one outbox transaction fewer on the start path.

        AllocationClient.Outcome outcome;
        try {
            outcome = allocations.request(q.request());
        } catch (ProblemException ex) {
            fail(id, q.attempt(), "allocation failed: " + ex.getMessage(), null);
            throw ex;
        }
        AllocationInfo grant = AllocationInfo.of(outcome.allocation());
        // Granted (or handed to Kueue, whose admission starts the suspended Job): recorded and moved to starting in the
        // transaction that records the allocation, and the trainer spawned after the answer.
        boolean launchNow = outcome.granted() || outcome.allocation().kueueQueue() != null;
        // The answer is read in the same transaction: a read after it would be one more round trip on the start's path.
        record Admitted(LaunchPlan plan, Session session) {
        }
        Admitted admitted = QuarkusTransaction.requiringNew().call(() -> {
            SessionEntity e = lock(id);
            AttemptEntity a = AttemptEntity.find(id, q.attempt());
            SessionState state = SessionState.fromWire(e.state);
            if (e.attemptCount == q.attempt() && grant.allocationId().equals(a.allocationId) && state != SessionState.QUEUED
                    && state.isLive()) {
                // the allocation.granted event overtook this answer and launched it
                return new Admitted(LaunchPlan.ALREADY_LAUNCHED, sessions.toSession(e));
            }
            a.allocationId = outcome.allocation().id();
            a.gpuIndices = join(outcome.allocation().gpuIndices());
            boolean queued = e.attemptCount == q.attempt() && state == SessionState.QUEUED;
            if (!launchNow) {
                if (queued) {
                    e.stateReason = outcome.allocation().reason();
                }
                return new Admitted(null, sessions.toSession(e));
            }
            LaunchPlan plan = queued ? prepareLaunch(e, a, grant, pending) : LaunchPlan.STALE;
            return new Admitted(plan, sessions.toSession(e));
        });
        LaunchPlan plan = admitted.plan();
        transitions.publish(pending);
        if (plan == LaunchPlan.STALE) {
            LOG.infof("grant %s for session %s attempt %d came after the session moved on; releasing it",
                    grant.allocationId(), id, q.attempt());
            allocations.release(grant.allocationId());
        } else if (plan != null && plan != LaunchPlan.ALREADY_LAUNCHED) {
            launches.execute(() -> spawn(id, q.attempt(), plan, grant));
        }
        return admitted.session();
    }

    private AllocationRequest requestFor(SessionEntity e) {
        int gpus = gpusOf(programs.program(e.trainer).dialect(), sessions.configOf(e));
        // The built-in trainer is single-threaded with a 1 GiB heap: one core and 1.5 GiB hold it.
        return new AllocationRequest(e.id, e.owner, e.ownerRole, e.priority, e.pool, 1000, 1536, gpus);
    }

    /** GPUs a session's trainer needs: Keisei 2025 configs name a device, keisei-train's carry our resources table. */
    static int gpusOf(ConfigDialect dialect, JsonNode config) {
        return switch (dialect) {
            case KEISEI_2025 -> "cuda".equals(ConfigValidator.validate(config).env().device()) ? 1 : 0;
            case KEISEI_2026 -> dialect.validate(config).path(Keisei2026Schema.RESOURCES).path("gpus").asInt(1);
        };
    }

    /** What a launch needs once the session is starting; the two markers say it must not (or need not) go on. */
    record LaunchPlan(TrainerProgram program, TrainerConfigFile config, Path resume, long epoch) {
        static final LaunchPlan STALE = new LaunchPlan(null, null, null, -1);
        static final LaunchPlan ALREADY_LAUNCHED = new LaunchPlan(null, null, null, -2);
    }

    /** Launches the trainer of a queued attempt whose allocation was granted (now or later), with what was granted. */
    public void launch(String id, int attempt, AllocationInfo grant) {
        Transitions.Pending pending = new Transitions.Pending();
        LaunchPlan plan = QuarkusTransaction.requiringNew().call(() -> {
            SessionEntity e = lock(id);
            AttemptEntity a = AttemptEntity.find(id, attempt);
            if (e.attemptCount == attempt && a != null && grant.allocationId().equals(a.allocationId)
                    && SessionState.fromWire(e.state).isLive() && SessionState.fromWire(e.state) != SessionState.QUEUED) {
                // The same grant again (allocation.granted is delivered at least once): this attempt already runs on it.
                return LaunchPlan.ALREADY_LAUNCHED;
            }
            if (e.attemptCount != attempt || SessionState.fromWire(e.state) != SessionState.QUEUED || a == null
                    || (a.allocationId != null && !a.allocationId.equals(grant.allocationId()))) {
                return LaunchPlan.STALE;
            }
            return prepareLaunch(e, a, grant, pending);
        });
        if (plan == LaunchPlan.ALREADY_LAUNCHED) {
            LOG.debugf("grant %s for session %s attempt %d was announced again; it is in use", grant.allocationId(), id, attempt);
            return;
        }
        if (plan == LaunchPlan.STALE) {
            LOG.infof("grant %s for session %s attempt %d is stale; releasing it", grant.allocationId(), id, attempt);
            allocations.release(grant.allocationId());
            return;
        }
        transitions.publish(pending);
        spawn(id, attempt, plan, grant);
    }

    /**
     * Records the grant on a queued attempt and moves its session to starting, in the caller's transaction (the
     * session row locked): the launching replica owns the session from now, under a new epoch.
     */
    private LaunchPlan prepareLaunch(SessionEntity e, AttemptEntity a, AllocationInfo grant, Transitions.Pending pending) {
        a.allocationId = grant.allocationId();
        a.gpuIndices = join(grant.gpuIndices());
        Path resume = null;
        if (a.resumeCheckpointId != null) {
            CheckpointEntity ck = CheckpointEntity.findById(a.resumeCheckpointId);
            if (ck != null && Files.isRegularFile(Path.of(ck.path))) {
                resume = Path.of(ck.path);
            }
        }
        // Handed to Kueue, it starts when Kueue admits it: the reason says it waits for that.
        transitions.move(e, SessionState.STARTING, grant.kueueQueue() != null ? grant.reason() : null, pending);
        // A new epoch fences off whoever owned an earlier attempt. Should this replica's lease have lapsed meanwhile, a
        // live replica takes it over (there is no trainer handle yet, so it fails the attempt) and the handle below is
        // refused: the trainer is then ended.
        e.ownerReplica = fence.me();
        e.ownerEpoch++;
        TrainerProgram program = programs.program(e.trainer);
        return new LaunchPlan(program, TrainerConfigFiles.render(program, (ObjectNode) sessions.configOf(e), files.checkpoints(e.id)),
                resume, e.ownerEpoch);
    }

    /** Starts the trainer of a starting attempt, records its handle (if this replica still owns the session) and supervises it. */
    private void spawn(String id, int attempt, LaunchPlan plan, AllocationInfo grant) {
        TrainerHandle handle;
        try {
            LaunchRequest request = new LaunchRequest(id, attempt, plan.program(), plan.config(), files.checkpoints(id),
                    plan.resume(), control.cursor(id), grant);
            Files.createDirectories(files.dir(id));
            Files.writeString(files.log(id), "=== attempt " + attempt + " at " + Instant.now() + (request.resumeCheckpoint() != null
                    ? " (resuming from " + request.resumeCheckpoint().getFileName() + ")" : "") + " ===\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            handle = launcher.launch(request);
        } catch (IOException | RuntimeException ex) {
            fail(id, attempt, plan.epoch(), "trainer could not be launched: " + ex.getMessage(), grant.allocationId());
            return;
        }
        boolean owned = QuarkusTransaction.requiringNew().call(() -> {
            SessionEntity e = lock(id);
            if (!fence.holds(e.ownerReplica, e.ownerEpoch, plan.epoch())) {
                return false;
            }
            SessionState now = SessionState.fromWire(e.state);
            if (e.attemptCount != attempt || now != SessionState.STARTING && now != SessionState.RUNNING) {
                // Stopped (or paused) before its trainer existed: that command found no trainer to end, so end it here.
                LOG.infof("session %s attempt %d became %s while its trainer was launched", id, attempt, e.state);
                return false;
            }
            AttemptEntity a = AttemptEntity.find(id, attempt);
            a.launcher = launcher.kind();
            a.handle = handle.id();
            a.startedAt = Instant.now();
            return true;
        });
        if (!owned) {
            // Taken over while launching: the new owner found no handle to re-attach and ended the attempt, so this
            // trainer belongs to no session any more and nobody else can find it.
            LOG.warnf("session %s attempt %d: ownership lost or the attempt ended while launching; ending the trainer", id, attempt);
            handle.kill();
            return;
        }
        supervisor.watch(id, attempt, plan.epoch(), handle, this::onExit);
        // A stop or pause that came between recording the handle and watching it was sent to the trainer, but nobody
        // armed its grace period: arm it now.
        SessionState now = QuarkusTransaction.requiringNew().call(() -> SessionState.fromWire(SessionEntity.<SessionEntity>findById(id).state));
        if (now == SessionState.STOPPING || now == SessionState.PAUSING) {
            supervisor.killAfter(id, attempt, config.stopGrace(), graceKillReason(now == SessionState.STOPPING));
        }
    }

    /**
     * Supervises the trainer of a session this replica has just taken over under {@code epoch} (at start-up, or from a
     * replica whose lease expired): re-attaches it by its stored handle, or fails the attempt when it is gone.
     */
    public void adopt(String id, long epoch) {
        record Live(int attemptCount, String handle) {
        }
        Live live = QuarkusTransaction.requiringNew().call(() -> {
            SessionEntity e = SessionEntity.findById(id);
            if (e == null || !SessionState.fromWire(e.state).isLive()) {
                return null;
            }
            AttemptEntity a = e.attemptCount == 0 ? null : AttemptEntity.find(id, e.attemptCount);
            return new Live(e.attemptCount, a == null ? null : a.handle);
        });
        if (live == null) {
            return;
        }
        Optional<TrainerHandle> handle = live.handle() == null ? Optional.empty() : launcher.reattach(live.handle(), id, live.attemptCount());
        if (handle.isPresent()) {
            LOG.infof("session %s attempt %d: re-attached to its trainer (%s), ownership epoch %d", id, live.attemptCount(),
                    live.handle(), epoch);
            supervisor.watch(id, live.attemptCount(), epoch, handle.get(), this::onExit);
        } else {
            fail(id, live.attemptCount(), epoch, "trainer was gone when training-service restarted", null);
        }
    }

    /** A trainer reported that it runs. */
    public void trainerStarted(String id, int attempt) {
        Transitions.Pending pending = new Transitions.Pending();
        QuarkusTransaction.requiringNew().run(() -> {
            SessionEntity e = SessionEntity.findById(id, LockModeType.PESSIMISTIC_WRITE);
            if (e != null && e.attemptCount == attempt && SessionState.fromWire(e.state) == SessionState.STARTING) {
                transitions.move(e, SessionState.RUNNING, null, pending);
            }
        });
        transitions.publish(pending);
    }

    public Session stop(String id) {
        return finish(id, ControlCommand.Type.STOP, null);
    }

    public Session pause(String id) {
        return finish(id, ControlCommand.Type.PAUSE, null);
    }

    /**
     * resource-service preempted the allocation of this session's current attempt for a
     * higher-priority request: pause (the trainer checkpoints, then exits), which releases the
     * allocation. An event about another attempt's allocation is stale and changes nothing; a
     * session that is not running any more has nothing to give back.
     */
    public void preempted(String id, String allocationId, String reason) {
        boolean current = QuarkusTransaction.requiringNew().call(() -> {
            SessionEntity e = SessionEntity.findById(id);
            AttemptEntity a = e == null || e.attemptCount == 0 ? null : AttemptEntity.find(id, e.attemptCount);
            return a != null && allocationId.equals(a.allocationId);
        });
        if (!current) {
            LOG.infof("session %s: preemption of allocation %s is not about its current attempt; ignored", id, allocationId);
            return;
        }
        try {
            finish(id, ControlCommand.Type.PAUSE, reason == null ? "preempted" : reason);
        } catch (ProblemException ex) {
            LOG.infof("session %s: preempted, but %s", id, ex.getMessage());
        }
    }

    /** Stops or pauses; answers the session as the transaction left it (read there: one round trip fewer). */
    private Session finish(String id, ControlCommand.Type type, String reason) {
        boolean stop = type == ControlCommand.Type.STOP;
        Transitions.Pending pending = new Transitions.Pending();
        record Next(boolean signalTrainer, int attempt, String releaseAllocation, Session session) {
        }
        java.util.concurrent.atomic.AtomicBoolean watchedHere = new java.util.concurrent.atomic.AtomicBoolean();
        Next next = QuarkusTransaction.requiringNew().call(() -> {
            SessionEntity e = lock(id);
            SessionState s = SessionState.fromWire(e.state);
            AttemptEntity a = e.attemptCount == 0 ? null : AttemptEntity.find(id, e.attemptCount);
            if (stop && (s == SessionState.CREATED || s == SessionState.QUEUED || s == SessionState.PAUSED)) {
                transitions.move(e, SessionState.STOPPED, s == SessionState.QUEUED ? "stopped while queued" : null, pending);
                return new Next(false, e.attemptCount, s == SessionState.QUEUED && a != null ? a.allocationId : null,
                        sessions.toSession(e));
            }
            // This replica knows its own trainers; a trainer another replica owns is known there, and that owner (or the
            // replica that takes it over) kills it if it outlives the grace period (StopGraceEnforcer).
            boolean mine = e.ownerReplica != null && e.ownerReplica.equals(fence.me());
            // A recorded handle counts too: the launch thread records it, then starts watching; a stop in between must
            // still reach the trainer (through the control stream), not declare it absent and leave it running.
            boolean watched = mine && supervisor.get(id).map(w -> w.attempt() == e.attemptCount).orElse(false);
            boolean trainerKnown = mine ? watched || a != null && a.handle != null
                    : e.ownerReplica != null && a != null && a.handle != null;
            if (stop && (s == SessionState.STARTING || s == SessionState.RUNNING || s == SessionState.PAUSING)) {
                watchedHere.set(watched);
                transitions.move(e, trainerKnown ? SessionState.STOPPING : SessionState.STOPPED,
                        trainerKnown ? null : "no trainer was running", pending);
                return new Next(trainerKnown, e.attemptCount, trainerKnown || a == null ? null : a.allocationId,
                        sessions.toSession(e));
            }
            if (!stop && (s == SessionState.STARTING || s == SessionState.RUNNING)) {
                watchedHere.set(watched);
                transitions.move(e, trainerKnown ? SessionState.PAUSING : SessionState.PAUSED,
                        trainerKnown ? reason : reason != null ? reason : "no trainer was running", pending);
                return new Next(trainerKnown, e.attemptCount, trainerKnown || a == null ? null : a.allocationId,
                        sessions.toSession(e));
            }
            throw ProblemException.conflict("session '" + id + "' is " + s.wire() + "; it cannot be "
                    + (stop ? "stopped" : "paused") + " now", s.wire());
        });
        transitions.publish(pending);
        if (next.releaseAllocation() != null) {
            allocations.release(next.releaseAllocation());
        }
        if (next.signalTrainer()) {
            control.send(id, type);
            if (watchedHere.get()) {
                supervisor.killAfter(id, next.attempt(), config.stopGrace(),
                        graceKillReason(stop));
            }
        }
        return next.session();
    }

    /** Why a trainer was killed when its stop or pause outlived the grace period. */
    String graceKillReason(boolean stop) {
        return (stop ? "stop" : "pause") + " did not finish within " + config.stopGrace().toSeconds() + "s; killed";
    }

    /** Asks a running trainer for a checkpoint now. */
    public String checkpointNow(String id) {
        SessionEntity e = SessionEntity.findById(id);
        if (e == null) {
            throw ProblemException.notFound("session", id);
        }
        SessionState s = SessionState.fromWire(e.state);
        if (s != SessionState.RUNNING) {
            throw ProblemException.conflict("session '" + id + "' is " + s.wire() + "; checkpoints are taken while running", s.wire());
        }
        return control.send(id, ControlCommand.Type.CHECKPOINT_NOW);
    }

    /**
     * A trainer process ended: decide the session's next state from how it ended. Only while this replica still owns
     * the session under the watch's epoch: a replica that lost it leaves the exit to the new owner, which re-attached
     * the trainer and sees the same end.
     */
    /**
     * resource-service put the allocation of this session's starting attempt back in the queue (cluster mode: its
     * trainer's pod could not be scheduled on the node it was granted, someone else took the space). The pod is ended
     * and the session waits, queued, for the same allocation; its next grant launches the attempt again.
     */
    public void requeued(String id, String allocationId, String reason) {
        Transitions.Pending pending = new Transitions.Pending();
        String abandoned = QuarkusTransaction.requiringNew().call(() -> {
            SessionEntity e = SessionEntity.findById(id, LockModeType.PESSIMISTIC_WRITE);
            AttemptEntity a = e == null || e.attemptCount == 0 ? null : AttemptEntity.find(id, e.attemptCount);
            if (a == null || !allocationId.equals(a.allocationId) || SessionState.fromWire(e.state) != SessionState.STARTING) {
                return null;
            }
            String handle = a.handle;
            a.handle = null;
            a.gpuIndices = null;
            transitions.move(e, SessionState.QUEUED, reason, pending);
            return handle == null ? "" : handle;
        });
        transitions.publish(pending);
        if (abandoned == null) {
            return;
        }
        LOG.infof("session %s: its allocation %s was queued again (%s); its pod is ended", id, allocationId, reason);
        supervisor.get(id).ifPresentOrElse(w -> w.handle().kill(), () -> {
            if (!abandoned.isEmpty()) {
                // Watched by another replica (or by none after a restart): the Job is ended by its id all the same.
                launcher.reattach(abandoned, id, currentAttempt(id)).ifPresent(TrainerHandle::kill);
            }
        });
    }

    private static int currentAttempt(String id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            SessionEntity e = SessionEntity.findById(id);
            return e == null ? 0 : e.attemptCount;
        });
    }

    public void onExit(TrainerSupervisor.Exit exit) {
        Transitions.Pending pending = new Transitions.Pending();
        String allocation = QuarkusTransaction.requiringNew().call(() -> {
            SessionEntity e = SessionEntity.findById(exit.session(), LockModeType.PESSIMISTIC_WRITE);
            AttemptEntity a = AttemptEntity.find(exit.session(), exit.attempt());
            if (e == null || a == null) {
                return null;
            }
            if (!fence.holds(e.ownerReplica, e.ownerEpoch, exit.epoch())) {
                LOG.infof("session %s attempt %d: its trainer ended, but this replica no longer owns it (epoch %d); "
                        + "left to its owner", exit.session(), exit.attempt(), exit.epoch());
                return null;
            }
            if (e.attemptCount == exit.attempt() && SessionState.fromWire(e.state) == SessionState.QUEUED) {
                return null; // a launch abandoned when its allocation was queued again: the allocation waits for a new grant
            }
            a.exitCode = exit.code() < 0 ? null : exit.code();
            a.endedAt = Instant.now();
            if (e.attemptCount != exit.attempt()) {
                return a.allocationId;
            }
            SessionState s = SessionState.fromWire(e.state);
            SessionState target;
            String reason = null;
            if (exit.killReason() != null && (s == SessionState.STOPPING || s == SessionState.PAUSING)) {
                target = s == SessionState.STOPPING ? SessionState.STOPPED : SessionState.PAUSED;
                reason = exit.killReason();
            } else if (exit.killReason() != null) {
                target = SessionState.FAILED;
                reason = exit.killReason();
            } else if (exit.cause() != null && s != SessionState.STOPPING && s != SessionState.PAUSING) {
                target = SessionState.FAILED; // the cluster ended it: its words say more than an exit code
                reason = exit.cause();
            } else if (exit.code() == TrainerExitCodes.PAUSED) {
                target = s == SessionState.STOPPING ? SessionState.STOPPED : SessionState.PAUSED;
            } else if (exit.code() == TrainerExitCodes.OK) {
                target = s == SessionState.STOPPING ? SessionState.STOPPED
                        : s == SessionState.PAUSING ? SessionState.PAUSED : SessionState.COMPLETED;
            } else if (exit.code() < 0 && "completed".equals(a.reason)) {
                target = SessionState.COMPLETED;
            } else if (exit.code() < 0 && (s == SessionState.STOPPING || s == SessionState.PAUSING)) {
                target = s == SessionState.STOPPING ? SessionState.STOPPED : SessionState.PAUSED;
            } else {
                target = SessionState.FAILED;
                reason = describeFailure(exit.session(), exit.code());
            }
            a.reason = reason != null ? reason : a.reason;
            if (reason == null && s == SessionState.PAUSING && target == SessionState.PAUSED) {
                reason = e.stateReason; // why it was paused (e.g. preempted) stays visible once it is
            }
            if (s.canMoveTo(target)) {
                transitions.move(e, target, reason, pending);
            }
            return a.allocationId;
        });
        transitions.publish(pending);
        allocations.release(allocation);
    }

    /** Marks an attempt failed before it had a trainer (its allocation could not be had) and frees its allocation. */
    public void fail(String id, int attempt, String reason, String allocationId) {
        fail(id, attempt, null, reason, allocationId);
    }

    /**
     * Marks an attempt failed instead of its trainer and frees its allocation; with an {@code epoch}, only while this
     * replica still owns the session under it (else nothing changes: the owner decides).
     */
    void fail(String id, int attempt, Long epoch, String reason, String allocationId) {
        Transitions.Pending pending = new Transitions.Pending();
        String none = "\u0000fenced";
        String allocation = QuarkusTransaction.requiringNew().call(() -> {
            SessionEntity e = SessionEntity.findById(id, LockModeType.PESSIMISTIC_WRITE);
            if (epoch != null && (e == null || !fence.holds(e.ownerReplica, e.ownerEpoch, epoch))) {
                return none;
            }
            AttemptEntity a = AttemptEntity.find(id, attempt);
            if (a != null) {
                a.reason = reason;
                a.endedAt = Instant.now();
            }
            if (e != null && e.attemptCount == attempt && SessionState.fromWire(e.state).canMoveTo(SessionState.FAILED)) {
                transitions.move(e, SessionState.FAILED, reason, pending);
            }
            return allocationId != null ? allocationId : a == null ? null : a.allocationId;
        });
        if (allocation == none) {
            LOG.infof("session %s attempt %d: not failed (%s): this replica no longer owns it", id, attempt, reason);
            return;
        }
        transitions.publish(pending);
        allocations.release(allocation);
        LOG.warnf("session %s attempt %d failed: %s", id, attempt, reason);
    }

    private String describeFailure(String session, int code) {
        String last = LogTail.lastLines(files.log(session), 1).stream().findFirst().orElse("");
        String signal = code > 128 && code < 160 ? " (signal " + (code - 128) + ")" : "";
        return "trainer exited with code " + code + signal + (last.isBlank() ? "" : ": " + last.strip());
    }

    static SessionEntity lock(String id) {
        SessionEntity e = SessionEntity.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (e == null) {
            throw ProblemException.notFound("session", id);
        }
        return e;
    }

    private static String names(Set<SessionState> states) {
        return String.join(" or ", states.stream().map(SessionState::wire).toList());
    }

    private static String join(List<Integer> gpus) {
        return gpus == null ? "" : String.join(",", gpus.stream().map(String::valueOf).toList());
    }

    static List<Integer> parseGpus(String s) {
        if (s == null || s.isBlank()) {
            return List.of();
        }
        return Arrays.stream(s.split(",")).map(String::trim).map(Integer::valueOf).toList();
    }
}
