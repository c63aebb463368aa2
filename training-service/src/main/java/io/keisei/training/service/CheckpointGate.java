package io.keisei.training.service;

import io.keisei.contracts.CheckpointInfo;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.api.Checkpoint;
import io.keisei.contracts.api.Evaluation;
import io.keisei.contracts.api.GatingPolicy;
import io.keisei.contracts.api.NewEvaluation;
import io.keisei.training.GatePlan;
import io.keisei.training.GatePlanner;
import io.keisei.training.persistence.CheckpointEntity;
import io.keisei.training.persistence.EvaluationEntity;
import io.keisei.training.persistence.SessionEntity;
import io.keisei.training.stream.LifecycleEventPublisher;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Automatic gating (docs/evaluation-league.md, "Automatic gating"): runs {@link GatePlanner} for a session with gating
 * on and applies its plan. The first checkpoint gated becomes the session's best; each later one plays the best in gate
 * evaluations (filed through {@link EvaluationService}, owned by the session's owner) until the planner promotes or
 * rejects it. One gate per session at a time: checkpoints saved meanwhile wait ({@code pending}); when the gate ends, the
 * newest of them is gated and the others are {@code skipped}.
 *
 * <p>All state lives in PostgreSQL (the checkpoints' gate columns, the session's best, the gate evaluations), changed
 * under the session's row lock; evaluations are filed outside any transaction (an evaluation that fails at once tells
 * its end on this thread, and its handler takes the lock again). So a restart loses nothing: {@link #recover} advances
 * every gate whose evaluation ended while nobody watched.
 */
@ApplicationScoped
public class CheckpointGate {

    private static final Logger LOG = Logger.getLogger(CheckpointGate.class);
    private static final Set<String> ENDED = Set.of("completed", "failed", "cancelled");

    private final EvaluationService evaluations;
    private final SessionService sessions;
    private final LifecycleEventPublisher publisher;

    public CheckpointGate(EvaluationService evaluations, SessionService sessions, LifecycleEventPublisher publisher) {
        this.evaluations = evaluations;
        this.sessions = sessions;
        this.publisher = publisher;
    }

    /** A gate evaluation to file, claimed (its challenger {@code running}) and committed first. */
    private record Filing(String session, String challenger, String best, int games, int priority, String owner,
                          String ownerRole) {
    }

    /** What a transaction of the gate did: the evaluation to file after it, whether it staged checkpoint.promoted. */
    private record Step(Filing filing, boolean announced) {
        static final Step NOTHING = new Step(null, false);
    }

    void onRegistered(@Observes CheckpointRegistered e) {
        advance(e.session());
    }

    void onEnded(@Observes EvaluationEnded e) {
        if (e.gate() != null) {
            ended(e.evaluation(), e.gate());
        }
    }

    /** After EvaluationService has watched its matches again (and told the ends it found): the gates left behind. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent ev) {
        try {
            recover();
        } catch (RuntimeException e) {
            LOG.warnf(e, "gates could not be recovered at startup");
        }
    }

    /**
     * Gates the session's newest waiting checkpoint unless a gate runs or gating is off: makes it the best when the
     * session has none, else files its gate evaluation against the best (or decides at once from the games it already
     * played against that best, e.g. before gating was turned off and on again).
     */
    public void advance(String session) {
        Step step = QuarkusTransaction.requiringNew().call(() -> nextGate(session));
        if (step.announced()) {
            publisher.afterCommit();
        }
        if (step.filing() != null) {
            file(step.filing());
        }
    }

    private Step nextGate(String session) {
        SessionEntity s = SessionEntity.findById(session, LockModeType.PESSIMISTIC_WRITE);
        if (s == null) {
            return Step.NOTHING;
        }
        GatingPolicy policy = sessions.gatingOf(s);
        List<CheckpointEntity> open = CheckpointEntity.list("sessionId = ?1 and gate in ?2", session,
                List.of(Checkpoint.GATE_PENDING, Checkpoint.GATE_RUNNING));
        boolean running = open.stream().anyMatch(c -> Checkpoint.GATE_RUNNING.equals(c.gate));
        CheckpointEntity newest = open.stream().filter(c -> Checkpoint.GATE_PENDING.equals(c.gate))
                .max(Comparator.comparingLong((CheckpointEntity c) -> c.step).thenComparing(c -> c.createdAt)).orElse(null);
        String best = bestOf(s);
        Score score = newest == null || best == null ? Score.NONE : Score.of(newest.id, best);
        GatePlan plan = GatePlanner.plan(policy, best, newest == null ? null : newest.id, score.wins, score.draws,
                score.losses, running);
        if (plan.action() == GatePlan.Action.IDLE || plan.action() == GatePlan.Action.WAIT) {
            return Step.NOTHING;
        }
        for (CheckpointEntity c : open) {
            if (c != newest && Checkpoint.GATE_PENDING.equals(c.gate)) {
                decide(c, Checkpoint.GATE_SKIPPED, "a newer checkpoint, " + newest.id + " (step " + newest.step
                        + "), was gated instead");
            }
        }
        newest.gateAgainst = best;
        record(newest, plan);
        return apply(s, newest, plan, policy, null);
    }

    /** The end of one of a challenger's gate evaluations: sums its games against the best and applies the plan. */
    void ended(Evaluation evaluation, String challenger) {
        String sessionOfChallenger = QuarkusTransaction.requiringNew().call(() -> {
            CheckpointEntity c = CheckpointEntity.findById(challenger);
            return c == null ? null : c.sessionId;
        });
        String[] session = {sessionOfChallenger == null ? evaluation.session() : sessionOfChallenger};
        if (sessionOfChallenger == null) {
            if (session[0] != null) {
                advance(session[0]);   // the challenger was deleted during its gate: the next one's turn
            }
            return;
        }
        Step step = QuarkusTransaction.requiringNew().call(() -> {
            // The session's lock first, then the challenger as it is under that lock.
            SessionEntity s = SessionEntity.findById(sessionOfChallenger, LockModeType.PESSIMISTIC_WRITE);
            CheckpointEntity c = CheckpointEntity.findById(challenger);
            if (c == null) {
                return Step.NOTHING;
            }
            boolean current = c.gateEvaluationId == null || c.gateEvaluationId.equals(evaluation.id());
            if (s == null || !Checkpoint.GATE_RUNNING.equals(c.gate) || !current) {
                session[0] = null;   // an end told twice, or of a batch replaced since: nothing changes
                return Step.NOTHING;
            }
            c.gateEvaluationId = evaluation.id();
            if (!"completed".equals(evaluation.state())) {
                decide(c, Checkpoint.GATE_FAILED, "its gate evaluation " + evaluation.id() + " " + evaluation.state()
                        + (evaluation.stateReason() == null ? "" : ": " + evaluation.stateReason()));
                return Step.NOTHING;
            }
            GatingPolicy policy = sessions.gatingOf(s);
            Score score = Score.of(c.id, c.gateAgainst);
            GatePlan plan = GatePlanner.plan(policy, c.gateAgainst, c.id, score.wins, score.draws, score.losses, false);
            record(c, plan);
            if (plan.action() == GatePlan.Action.IDLE) {
                c.gate = Checkpoint.GATE_PENDING;
                c.gateReason = "gating was turned off during its gate (" + score + " kept); it waits until it is on again";
                return Step.NOTHING;
            }
            return apply(s, c, plan, policy, evaluation.id());
        });
        if (step.announced()) {
            publisher.afterCommit();
        }
        if (step.filing() != null) {
            file(step.filing());
        } else if (session[0] != null) {
            advance(session[0]);
        }
    }

    /**
     * Applies a plan to the challenger (its score already recorded): promotes it (best, checkpoint.promoted in the
     * outbox), rejects it, or claims it for its next batch, returned to be filed after the commit.
     */
    private Step apply(SessionEntity s, CheckpointEntity c, GatePlan plan, GatingPolicy policy, String evaluation) {
        switch (plan.action()) {
            case FIRST_BEST -> {
                s.bestCheckpointId = c.id;
                decide(c, Checkpoint.GATE_PROMOTED, plan.reason());
            }
            case PROMOTE -> {
                String reason = plan.reason() + "; against " + c.gateAgainst;
                s.bestCheckpointId = c.id;
                decide(c, Checkpoint.GATE_PROMOTED, reason);
                EvaluationEntity last = evaluation == null ? lastEvaluationOf(c.id) : EvaluationEntity.findById(evaluation);
                if (last != null) {
                    publisher.stage(LifecycleEvent.checkpointPromoted(s.id, SessionService.SOURCE,
                            new CheckpointInfo(c.path, c.step, c.sizeBytes, c.sha256), last.info(), reason));
                    return new Step(null, true);
                }
            }
            case REJECT -> decide(c, Checkpoint.GATE_REJECTED, plan.reason() + "; against " + c.gateAgainst);
            case PLAY_MORE -> {
                c.gate = Checkpoint.GATE_RUNNING;
                c.gateEvaluationId = null;   // the batch being filed; set once it exists
                return new Step(new Filing(s.id, c.id, c.gateAgainst, plan.games(), policy.priority(), s.owner, s.ownerRole),
                        false);
            }
            default -> {
                // IDLE and WAIT change nothing
            }
        }
        return Step.NOTHING;
    }

    /** Files a claimed gate evaluation (a new seed each batch); a challenger whose evaluation cannot be filed fails. */
    private void file(Filing f) {
        Evaluation filed;
        try {
            filed = evaluations.create(new NewEvaluation(f.challenger(), f.best(), f.games(), null, f.priority(), f.session(),
                    f.owner(), f.ownerRole()), f.challenger());
        } catch (RuntimeException e) {
            LOG.warnf("session %s: the gate evaluation of %s could not be filed: %s", f.session(), f.challenger(),
                    e.getMessage());
            QuarkusTransaction.requiringNew().run(() -> {
                CheckpointEntity c = CheckpointEntity.findById(f.challenger());
                if (c != null && Checkpoint.GATE_RUNNING.equals(c.gate)) {
                    decide(c, Checkpoint.GATE_FAILED, "its gate evaluation could not be filed: " + e.getMessage());
                }
            });
            advance(f.session());
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            CheckpointEntity c = CheckpointEntity.findById(f.challenger());
            if (c != null && c.gateEvaluationId == null) {
                c.gateEvaluationId = filed.id();   // unless it already ended and its end recorded it
            }
        });
    }

    /**
     * At startup: every session with an open gate is advanced. A running gate whose last evaluation ended (while this
     * service was down, or before its end was applied) is decided now; one whose evaluation was never filed (the service
     * stopped in between) is gated again; one whose evaluation still plays or waits is left to it.
     */
    public void recover() {
        List<String> open = QuarkusTransaction.requiringNew().call(() -> CheckpointEntity.getEntityManager()
                .createQuery("select distinct c.sessionId from CheckpointEntity c where c.gate in :open", String.class)
                .setParameter("open", List.of(Checkpoint.GATE_PENDING, Checkpoint.GATE_RUNNING)).getResultList());
        for (String session : open) {
            try {
                recover(session);
            } catch (RuntimeException e) {
                LOG.warnf(e, "session %s: its gate could not be recovered", session);
            }
        }
    }

    private void recover(String session) {
        record Found(String challenger, Evaluation ended) {
        }
        Found found = QuarkusTransaction.requiringNew().call(() -> {
            SessionEntity s = SessionEntity.findById(session, LockModeType.PESSIMISTIC_WRITE);
            CheckpointEntity c = CheckpointEntity.find("sessionId = ?1 and gate = ?2", session, Checkpoint.GATE_RUNNING)
                    .firstResult();
            if (s == null || c == null) {
                return null;
            }
            EvaluationEntity last = lastEvaluationOf(c.id);
            if (last == null || (c.gateEvaluationId == null && !ENDED.contains(last.state))) {
                // Claimed, never filed: gate it again (with its others, the newest first).
                c.gate = Checkpoint.GATE_PENDING;
                return null;
            }
            if (ENDED.contains(last.state) && (c.gateEvaluationId == null || c.gateEvaluationId.equals(last.id))) {
                return new Found(c.id, last.toApi());
            }
            return new Found(c.id, null);   // its evaluation still plays or waits: its end will come
        });
        if (found == null) {
            advance(session);
        } else if (found.ended() != null) {
            LOG.infof("session %s: the gate evaluation %s of %s ended unapplied; applying it", session,
                    found.ended().id(), found.challenger());
            ended(found.ended(), found.challenger());
        }
    }

    private static void record(CheckpointEntity c, GatePlan plan) {
        c.gateWins = plan.wins();
        c.gateDraws = plan.draws();
        c.gateLosses = plan.losses();
        c.gateLlr = plan.llr();
        c.gateReason = plan.reason();
    }

    private static void decide(CheckpointEntity c, String state, String reason) {
        c.gate = state;
        c.gateReason = reason;
        c.gateDecidedAt = Instant.now();
    }

    /** The session's best, if it still exists. */
    private static String bestOf(SessionEntity s) {
        return s.bestCheckpointId != null && CheckpointEntity.findById(s.bestCheckpointId) != null ? s.bestCheckpointId : null;
    }

    private static EvaluationEntity lastEvaluationOf(String challenger) {
        return EvaluationEntity.<EvaluationEntity>find("gate", Sort.descending("createdAt"), challenger).firstResult();
    }

    /** A challenger's games against a best, summed over every completed gate evaluation between them. */
    private record Score(int wins, int draws, int losses) {
        static final Score NONE = new Score(0, 0, 0);

        static Score of(String challenger, String best) {
            int w = 0;
            int d = 0;
            int l = 0;
            List<EvaluationEntity> done = EvaluationEntity.list("gate = ?1 and state = 'completed'", challenger);
            for (EvaluationEntity e : done) {
                if (challenger.equals(e.playerA) && best.equals(e.playerB)) {
                    w += e.aWins;
                    l += e.bWins;
                } else if (challenger.equals(e.playerB) && best.equals(e.playerA)) {
                    w += e.bWins;
                    l += e.aWins;
                } else {
                    continue;
                }
                d += e.draws;
            }
            return new Score(w, d, l);
        }

        @Override
        public String toString() {
            return "W " + wins + " D " + draws + " L " + losses;
        }
    }
}
