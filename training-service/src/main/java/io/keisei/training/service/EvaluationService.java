package io.keisei.training.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.AllocationInfo;
import io.keisei.contracts.allocation.AllocationRequest;
import io.keisei.contracts.api.Evaluation;
import io.keisei.contracts.api.EvaluationGame;
import io.keisei.contracts.api.EvaluationRules;
import io.keisei.contracts.api.FieldError;
import io.keisei.contracts.api.NewEvaluation;
import io.keisei.training.client.AllocationClient;
import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.training.launcher.MatchLaunch;
import io.keisei.training.launcher.TrainerHandle;
import io.keisei.training.launcher.TrainerLauncher;
import io.keisei.training.stream.LifecycleEventPublisher;
import io.keisei.training.persistence.CheckpointEntity;
import io.keisei.training.persistence.EvaluationEntity;
import io.keisei.training.persistence.EvaluationGameEntity;
import io.keisei.training.persistence.Ownership;
import io.keisei.training.persistence.SessionFiles;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluations as jobs, like training attempts: created queued, admitted by resource-service (below training's
 * priority by default), run by the trainer launcher as a match of the built-in trainer (a process, or a Job on a
 * cluster), their games stored when it ends, their allocation released; cancellable at any point. A match outlives a
 * restart of this service (it is found again by its handle); a preempted one is queued again and replays from its
 * first game. Every change of state is announced on keisei:events (evaluation.*) through the outbox, in the
 * transaction that makes it.
 */
@ApplicationScoped
public class EvaluationService {

    public static final String ID_PREFIX = "eval-";
    static final String SOURCE = SessionService.SOURCE;
    private static final Logger LOG = Logger.getLogger(EvaluationService.class);
    private static final SecureRandom SEEDS = new SecureRandom();

    private final AllocationClient allocations;
    private final TrainerLauncher launcher;
    private final SessionFiles files;
    private final ObjectMapper json;
    private final LifecycleEventPublisher events;
    private final Event<EvaluationEnded> ended;
    /**
     * The matches this replica watches, by evaluation id, with the allocation each holds and the ownership epoch it
     * watches them under (docs/training-orchestrator.md#replicas-leases-and-fencing).
     */
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final OwnershipFence fence;
    private final Ownership ownership;

    private record Running(TrainerHandle handle, String allocationId, long epoch) {
    }

    public EvaluationService(AllocationClient allocations, TrainerLauncher launcher, SessionFiles files, ObjectMapper json,
                             LifecycleEventPublisher events, Event<EvaluationEnded> ended, OwnershipFence fence,
                             Ownership ownership) {
        this.fence = fence;
        this.ownership = ownership;
        this.allocations = allocations;
        this.launcher = launcher;
        this.files = files;
        this.json = json;
        this.events = events;
        this.ended = ended;
    }

    /**
     * Takes the running evaluations nobody supervises (their owner's lease expired, or they have none) and finds their
     * matches: still running, ended meanwhile, or gone. The takeover scan (Reconciler) does this at start-up and
     * periodically; this is the same, on demand.
     */
    public void watchAgain() {
        String me = fence.me();
        if (me == null) {
            return;
        }
        try {
            for (Ownership.Claim c : ownership.takeOrphans(Ownership.Owned.EVALUATIONS, me)) {
                adopt(c.id(), c.epoch());
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("evaluations could not be taken over: " + e.getMessage(), e);
        }
    }

    /** Supervises the match of an evaluation this replica has just taken over under {@code epoch}. */
    public void adopt(String id, long epoch) {
        EvaluationEntity e = QuarkusTransaction.requiringNew().call(() -> EvaluationEntity.<EvaluationEntity>findById(id));
        if (e == null || !"running".equals(e.state)) {
            return;
        }
        Optional<TrainerHandle> handle = e.handle == null ? Optional.empty() : launcher.reattachMatch(e.handle, e.id);
        if (handle.isPresent()) {
            LOG.infof("evaluation %s: its match %s is watched again (ownership epoch %d)", e.id, e.handle, epoch);
            watch(e.id, handle.get(), e.allocationId, epoch);
        } else {
            // Gone: it may have ended while nobody watched; its result file says how.
            finished(e.id, e.allocationId, -1, null, epoch);
        }
    }

    /** This replica lost its lease: forget every match without stopping it; the new owner watches it again. */
    public void dropAll() {
        running.clear();
    }

    /**
     * Ends the matches this replica runs for evaluations that are not running on that allocation any more: cancelled
     * or preempted through another replica, which could not reach the match itself.
     */
    public void stopAbandonedMatches() {
        for (Map.Entry<String, Running> r : running.entrySet()) {
            String id = r.getKey();
            boolean abandoned = QuarkusTransaction.requiringNew().call(() -> {
                EvaluationEntity e = EvaluationEntity.findById(id);
                return e != null && fence.me() != null && fence.me().equals(e.ownerReplica)
                        && e.ownerEpoch == r.getValue().epoch()
                        && !("running".equals(e.state) && java.util.Objects.equals(r.getValue().allocationId(), e.allocationId));
            });
            if (abandoned && running.remove(id, r.getValue())) {
                LOG.infof("evaluation %s: its match was cancelled or preempted through another replica; ending it", id);
                r.getValue().handle().kill();
            }
        }
    }

    /** Checks and files an evaluation a user asked for. */
    public Evaluation create(NewEvaluation r) {
        return create(r, null);
    }

    /**
     * Checks and files an evaluation, asks for its allocation, and starts it at once when granted.
     *
     * @param gate the challenger model when automatic gating files it; null otherwise
     */
    public Evaluation create(NewEvaluation r, String gate) {
        List<FieldError> errors = new ArrayList<>();
        String a = checkPlayer("playerA", r.playerA(), errors);
        String b = checkPlayer("playerB", r.playerB(), errors);
        int games = r.games() == null ? EvaluationRules.DEFAULT_GAMES : r.games();
        if (games < 1 || games > EvaluationRules.MAX_GAMES) {
            errors.add(new FieldError("games", "must be in [1, " + EvaluationRules.MAX_GAMES + "]"));
        }
        int priority = r.priority() == null ? EvaluationRules.DEFAULT_PRIORITY : r.priority();
        if (priority < -1000 || priority > 1000) {
            errors.add(new FieldError("priority", "must be in [-1000, 1000]"));
        }
        if (a != null && a.equals(b)) {
            errors.add(new FieldError("playerB", "must differ from playerA"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest(errors.stream().map(f -> f.field() + ": " + f.message())
                    .collect(java.util.stream.Collectors.joining("; ")), errors);
        }
        String session = r.session() != null ? r.session() : modelSession(a);
        if (session == null) {
            session = modelSession(b);
        }
        EvaluationEntity e = new EvaluationEntity();
        e.id = ID_PREFIX + UUID.randomUUID();
        e.sessionId = session;
        e.owner = r.owner() == null ? "admin" : r.owner();
        e.ownerRole = r.ownerRole() == null ? "trainer" : r.ownerRole();
        e.playerA = a;
        e.playerB = b;
        e.games = games;
        e.seed = r.seed() != null ? r.seed() : SEEDS.nextLong() & Long.MAX_VALUE;
        e.priority = priority;
        e.gate = gate;
        e.state = "queued";
        e.createdAt = Instant.now();
        QuarkusTransaction.requiringNew().run(() -> {
            e.persist();
            announce(EventType.EVALUATION_QUEUED, e, null);
        });
        events.afterCommit();
        requestAllocation(e.id);
        return get(e.id);
    }

    /** Asks resource-service for the evaluation's CPU, and launches at once when it is granted. */
    private void requestAllocation(String id) {
        EvaluationEntity e = QuarkusTransaction.requiringNew().call(() -> EvaluationEntity.findById(id));
        AllocationClient.Outcome outcome;
        try {
            outcome = allocations.request(new AllocationRequest(e.id, e.owner, e.ownerRole, e.priority, null, 1000, 1024, 0));
        } catch (ProblemException ex) {
            endIf(id, null, "failed", "allocation failed: " + ex.getMessage());
            return;
        }
        boolean current = QuarkusTransaction.requiringNew().call(() -> {
            EvaluationEntity row = EvaluationEntity.findById(id, LockModeType.PESSIMISTIC_WRITE);
            if (row == null || !"queued".equals(row.state)) {
                return false;
            }
            row.allocationId = outcome.allocation().id();
            if (!outcome.granted()) {
                row.stateReason = outcome.allocation().reason();
            }
            return true;
        });
        if (!current) {
            allocations.release(outcome.allocation().id()); // cancelled while we asked
        } else if (outcome.granted() || outcome.allocation().kueueQueue() != null) {
            // Handed to Kueue: the match's Job is created now, suspended, and Kueue's admission starts it.
            launch(id, AllocationInfo.of(outcome.allocation()));
        }
    }

    /**
     * Starts the match of a queued evaluation whose allocation was granted: called with the answer to its request
     * and again for the allocation.granted event, in either order, so the row is locked and only the first starts it.
     */
    public void launch(String id, AllocationInfo grant) {
        enum Decision { START, WAIT, RELEASE }
        record Next(Decision decision, EvaluationEntity row) {
        }
        Next next = QuarkusTransaction.requiringNew().call(() -> {
            EvaluationEntity row = EvaluationEntity.findById(id, LockModeType.PESSIMISTIC_WRITE);
            if (row == null) {
                return new Next(Decision.RELEASE, null);
            }
            boolean ours = grant.allocationId().equals(row.allocationId);
            if ("queued".equals(row.state) && row.allocationId == null) {
                return new Next(Decision.WAIT, row); // the event overtook the answer to our request: that answer starts it
            }
            if ("running".equals(row.state) && ours) {
                return new Next(Decision.WAIT, row); // started already
            }
            if (!"queued".equals(row.state) || !ours) {
                return new Next(Decision.RELEASE, row); // cancelled, ended, or a grant of an earlier request
            }
            row.state = "running";
            row.stateReason = grant.kueueQueue() != null ? grant.reason() : null; // e.g. waiting for Kueue's admission
            row.startedAt = Instant.now();
            row.ownerReplica = fence.me(); // the launching replica supervises the match, under a new epoch
            row.ownerEpoch++;
            announce(EventType.EVALUATION_STARTED, row, null);
            return new Next(Decision.START, row);
        });
        events.afterCommit();
        if (next.decision() == Decision.RELEASE) {
            allocations.release(grant.allocationId());
        }
        if (next.decision() != Decision.START) {
            return;
        }
        EvaluationEntity e = next.row();
        try {
            Path dir = files.evaluationDir(id);
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve("result.json")); // a preempted run's leftovers are not this run's result
            TrainerHandle handle = launcher.launchMatch(new MatchLaunch(id, e.sessionId, playerArgument(e.playerA),
                    playerArgument(e.playerB), e.games, e.seed, dir, grant));
            boolean owned = QuarkusTransaction.requiringNew().call(() -> {
                EvaluationEntity row = EvaluationEntity.findById(id, LockModeType.PESSIMISTIC_WRITE);
                if (row == null || !fence.holds(row.ownerReplica, row.ownerEpoch, e.ownerEpoch)) {
                    return false;
                }
                if ("running".equals(row.state)) {
                    row.handle = handle.id();
                }
                return true;
            });
            if (!owned) {
                LOG.warnf("evaluation %s: ownership lost while launching its match; ending the match", id);
                handle.kill();
                return;
            }
            watch(id, handle, grant.allocationId(), e.ownerEpoch);
        } catch (IOException | RuntimeException ex) {
            endIf(id, grant.allocationId(), "failed", "match could not be launched: " + ex.getMessage(), null, e.ownerEpoch);
        }
    }

    private void watch(String id, TrainerHandle handle, String allocationId, long epoch) {
        Running r = new Running(handle, allocationId, epoch);
        running.put(id, r);
        handle.exit().thenAccept(code -> {
            if (running.remove(id, r)) { // not dropped (lease lost) nor ended on purpose (stopMatch)
                finished(id, allocationId, code, handle.failureCause().orElse(null), epoch);
            } else {
                // Ended by stopMatch on this replica, or no longer ours: the allocation still goes back once.
                endIf(id, allocationId, "failed", "its match ended", null, epoch);
            }
        });
    }

    /**
     * The match on {@code allocationId} ended with {@code exitCode} (-1: unknown, e.g. found again after a restart): its
     * games are stored with its score, in one transaction, and its allocation released. A match that is no longer the
     * evaluation's current run (cancelled, preempted) changes nothing but gives its allocation back.
     */
    void finished(String id, String allocationId, int exitCode) {
        finished(id, allocationId, exitCode, null, null);
    }

    /** With an {@code epoch}, only while this replica still owns the evaluation under it (else the owner decides). */
    private void finished(String id, String allocationId, int exitCode, String cause, Long epoch) {
        Path out = files.evaluationDir(id).resolve("result.json");
        Path log = files.evaluationDir(id).resolve("match.log");
        JsonNode result;
        String unreadable = null;
        try {
            result = exitCode <= 0 && Files.exists(out) ? json.readTree(out.toFile()) : null;
        } catch (IOException | RuntimeException ex) {
            result = null;
            unreadable = "its result could not be read: " + ex.getMessage();
        }
        JsonNode games = result == null ? null : result.path("games");
        String why = unreadable != null ? unreadable
                : cause != null ? cause
                : exitCode == -1 ? "its match ended while training-service was not watching, without a result"
                : "the match exited with code " + exitCode + lastLine(log);
        try {
            endIf(id, allocationId, games == null ? "failed" : "completed", games == null ? why : null, games, epoch);
        } catch (RuntimeException ex) {
            LOG.warnf("evaluation %s: its result could not be stored: %s", id, ex.getMessage());
            endIf(id, allocationId, "failed", "its result could not be stored: " + ex.getMessage(), null, epoch);
        }
    }

    private void endIf(String id, String allocationId, String state, String reason) {
        endIf(id, allocationId, state, reason, null, null);
    }

    /**
     * Ends the evaluation in {@code state} if it is still queued or running on {@code allocationId} (any allocation
     * when null), storing {@code games} when given; releases that allocation either way, then tells the observers.
     */
    private void endIf(String id, String allocationId, String state, String reason, JsonNode games, Long epoch) {
        record Ended(String allocationId, Evaluation evaluation) {
        }
        Ended fenced = new Ended(null, null);
        Ended done = QuarkusTransaction.requiringNew().call(() -> {
            EvaluationEntity e = EvaluationEntity.findById(id, LockModeType.PESSIMISTIC_WRITE);
            if (epoch != null && e != null && "running".equals(e.state) && !fence.holds(e.ownerReplica, e.ownerEpoch, epoch)) {
                return fenced; // taken over: the new owner watches the match and decides
            }
            if (epoch != null && e != null && "queued".equals(e.state) && allocationId != null
                    && allocationId.equals(e.allocationId)) {
                return fenced; // the match of a run that was queued again (its allocation waits for a new grant): keep it
            }
            boolean live = e != null && ("running".equals(e.state) || "queued".equals(e.state));
            if (!live || (allocationId != null && !allocationId.equals(e.allocationId))) {
                return new Ended(allocationId, null);
            }
            if (games != null) {
                store(e, games);
            }
            end(e, state, reason);
            return new Ended(e.allocationId, e.toApi());
        });
        events.afterCommit();
        if (done == fenced) {
            LOG.infof("evaluation %s: a match that is no longer its current run ended; nothing to settle", id);
            return;
        }
        allocations.release(done.allocationId());
        if (done.evaluation() != null) {
            tell(done.evaluation());
        }
    }

    private void tell(Evaluation e) {
        try {
            ended.fire(new EvaluationEnded(e, e.gate()));
        } catch (RuntimeException ex) {
            LOG.warnf(ex, "evaluation %s: an observer of its end failed", e.id());
        }
    }

    private static void store(EvaluationEntity e, JsonNode games) {
        EvaluationGameEntity.delete("evaluationId", e.id); // a result read twice (a restart) is stored once
        int aWins = 0;
        int bWins = 0;
        int draws = 0;
        for (JsonNode g : games) {
            EvaluationGameEntity row = new EvaluationGameEntity();
            row.evaluationId = e.id;
            row.idx = g.path("index").asInt();
            boolean aBlack = "A".equals(g.path("black").asText());
            row.black = aBlack ? e.playerA : e.playerB;
            row.white = aBlack ? e.playerB : e.playerA;
            row.result = g.path("result").asText();
            row.reason = g.path("reason").asText();
            row.plies = g.path("plies").asInt();
            row.startSfen = g.path("startSfen").asText();
            List<String> moves = new ArrayList<>();
            g.path("moves").forEach(m -> moves.add(m.asText()));
            row.moves = String.join(" ", moves);
            row.persist();
            switch (row.result) {
                case "black_win" -> {
                    if (aBlack) {
                        aWins++;
                    } else {
                        bWins++;
                    }
                }
                case "white_win" -> {
                    if (aBlack) {
                        bWins++;
                    } else {
                        aWins++;
                    }
                }
                default -> draws++;
            }
        }
        e.aWins = aWins;
        e.bWins = bWins;
        e.draws = draws;
    }

    /** Cancels a queued or running evaluation: its match is stopped and its allocation released. */
    public Evaluation cancel(String id) {
        record Cancelled(String allocationId, Evaluation evaluation) {
        }
        Cancelled c = QuarkusTransaction.requiringNew().call(() -> {
            EvaluationEntity e = EvaluationEntity.findById(id, LockModeType.PESSIMISTIC_WRITE);
            if (e == null) {
                throw ProblemException.notFound("evaluation", id);
            }
            if (!"queued".equals(e.state) && !"running".equals(e.state)) {
                throw ProblemException.conflict("evaluation " + id + " is " + e.state + "; only a queued or running one "
                        + "can be cancelled", e.state);
            }
            end(e, "cancelled", "cancelled by a user");
            return new Cancelled(e.allocationId, e.toApi());
        });
        events.afterCommit();
        stopMatch(id);
        allocations.release(c.allocationId());
        tell(c.evaluation());
        return get(id);
    }

    /**
     * resource-service took the evaluation's allocation back for a higher-priority request: its match is stopped and
     * it is queued again under a new request at its own priority (the match replays from its first game: the same
     * seed plays the same games).
     */
    public void preempted(String id, String allocationId, String reason) {
        boolean requeued = QuarkusTransaction.requiringNew().call(() -> {
            EvaluationEntity e = EvaluationEntity.findById(id, LockModeType.PESSIMISTIC_WRITE);
            if (e == null || !allocationId.equals(e.allocationId)
                    || !("running".equals(e.state) || "queued".equals(e.state))) {
                return false;
            }
            e.state = "queued";
            e.allocationId = null;
            e.handle = null;
            e.startedAt = null;
            e.stateReason = (reason == null ? "preempted" : reason) + "; queued again, its match restarts from the first game";
            announce(EventType.EVALUATION_QUEUED, e, e.stateReason);
            return true;
        });
        events.afterCommit();
        if (!requeued) {
            LOG.infof("evaluation %s: preemption of allocation %s is not about its current run; ignored", id, allocationId);
            return;
        }
        stopMatch(id);
        allocations.release(allocationId);
        LOG.infof("evaluation %s: preempted (%s); queued again", id, reason);
        requestAllocation(id);
    }

    /**
     * resource-service put the evaluation's granted allocation back in the queue (cluster mode: its match pod could not
     * be scheduled on the node it was granted): the match is stopped and the evaluation waits, queued, for that same
     * allocation; its next grant starts the match again from the first game.
     */
    public void requeued(String id, String allocationId, String reason) {
        boolean requeued = QuarkusTransaction.requiringNew().call(() -> {
            EvaluationEntity e = EvaluationEntity.findById(id, LockModeType.PESSIMISTIC_WRITE);
            if (e == null || !allocationId.equals(e.allocationId) || !"running".equals(e.state)) {
                return false;
            }
            e.state = "queued";
            e.handle = null;
            e.startedAt = null;
            e.stateReason = reason == null ? "queued again by resource-service" : reason;
            announce(EventType.EVALUATION_QUEUED, e, e.stateReason);
            return true;
        });
        events.afterCommit();
        if (requeued) {
            LOG.infof("evaluation %s: its allocation was queued again (%s)", id, reason);
            stopMatch(id);
        }
    }

    private void stopMatch(String id) {
        Running r = running.remove(id);
        if (r != null) {
            r.handle().kill(); // a match keeps nothing worth a graceful stop
        }
    }

    public Evaluation get(String id) {
        return QuarkusTransaction.requiringNew().call(() -> entity(id).toApi());
    }

    /** Newest first; {@code session} null for all. */
    public List<Evaluation> list(String session, int page, int size) {
        return QuarkusTransaction.requiringNew().call(() -> (session == null
                ? EvaluationEntity.<EvaluationEntity>findAll(Sort.descending("createdAt"))
                : EvaluationEntity.<EvaluationEntity>find("sessionId", Sort.descending("createdAt"), session))
                .page(Page.of(page, size)).list().stream().map(EvaluationEntity::toApi).toList());
    }

    public List<EvaluationGame> games(String id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            entity(id);
            return EvaluationGameEntity.<EvaluationGameEntity>find("evaluationId", Sort.ascending("idx"), id).list()
                    .stream().map(EvaluationGameEntity::toApi).toList();
        });
    }

    public EvaluationGame game(String id, int index) {
        return QuarkusTransaction.requiringNew().call(() -> {
            entity(id);
            EvaluationGameEntity g = EvaluationGameEntity.find("evaluationId = ?1 and idx = ?2", id, index).firstResult();
            if (g == null) {
                throw ProblemException.notFound("game", id + "/" + index);
            }
            return g.toApi();
        });
    }

    private static EvaluationEntity entity(String id) {
        EvaluationEntity e = EvaluationEntity.findById(id);
        if (e == null) {
            throw ProblemException.notFound("evaluation", id);
        }
        return e;
    }

    /** Moves {@code e} to a final state; runs inside the transaction that stores it, which also announces it. */
    private void end(EvaluationEntity e, String state, String reason) {
        e.state = state;
        e.stateReason = reason;
        e.finishedAt = Instant.now();
        e.handle = null;
        announce(switch (state) {
            case "completed" -> EventType.EVALUATION_COMPLETED;
            case "cancelled" -> EventType.EVALUATION_CANCELLED;
            default -> EventType.EVALUATION_FAILED;
        }, e, reason);
    }

    private void announce(EventType type, EvaluationEntity e, String reason) {
        events.stage(LifecycleEvent.evaluation(type, SOURCE, reason, e.info()));
    }

    /** A fixed player as it is, a model id checked to exist; null (with a field error) otherwise. */
    private static String checkPlayer(String field, String player, List<FieldError> errors) {
        if (player == null || player.isBlank()) {
            errors.add(new FieldError(field, "is required: a model id, \"random\" or \"baseline:<depth>\""));
            return null;
        }
        if (!EvaluationRules.PLAYER.matcher(player).matches()) {
            errors.add(new FieldError(field, "must be a model id, \"random\" or \"baseline:<depth>\" with depth 1-"
                    + EvaluationRules.MAX_BASELINE_DEPTH));
            return null;
        }
        if (player.startsWith(EvaluationRules.BASELINE_PREFIX) && !player.matches("baseline:[1-4]")) {
            errors.add(new FieldError(field, "the baseline engine's depth must be 1-" + EvaluationRules.MAX_BASELINE_DEPTH));
            return null;
        }
        if (EvaluationRules.isFixed(player)) {
            return player;
        }
        boolean known = QuarkusTransaction.requiringNew().call(() -> CheckpointEntity.findById(player) != null);
        if (!known) {
            errors.add(new FieldError(field, "no model '" + player + "'"));
            return null;
        }
        return player;
    }

    private static String modelSession(String player) {
        if (player == null || EvaluationRules.isFixed(player)) {
            return null;
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            CheckpointEntity c = CheckpointEntity.findById(player);
            return c == null ? null : c.sessionId;
        });
    }

    /** How the match command names a player: fixed players as they are, a model as its checkpoint file. */
    private String playerArgument(String player) {
        if (EvaluationRules.isFixed(player)) {
            return player;
        }
        CheckpointEntity c = QuarkusTransaction.requiringNew().call(() -> CheckpointEntity.findById(player));
        Path file = files.regularFileOf(c.sessionId, Path.of(c.path))
                .orElseThrow(() -> new IllegalStateException("the file of model " + player + " is gone"));
        return "checkpoint:" + file.toAbsolutePath();
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    String l = lines.get(i).strip();
                    return ": " + (l.length() > 300 ? l.substring(0, 300) : l);
                }
            }
        } catch (IOException e) {
            // no log
        }
        return "";
    }
}
