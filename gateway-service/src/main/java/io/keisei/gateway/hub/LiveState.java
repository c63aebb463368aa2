package io.keisei.gateway.hub;

import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.SystemStatus;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live state of this replica, in memory: one {@link SessionLive} per session seen, the current game of each
 * evaluation that is playing, the latest system sample per node. Records that carry an evaluation id where a session
 * id would be (an evaluation's allocation) make no session here.
 */
@ApplicationScoped
public class LiveState {

    private final Map<String, SessionLive> sessions = new ConcurrentHashMap<>();
    private final Map<String, SystemStatus> system = new ConcurrentHashMap<>();
    private final Map<String, EvaluationGameLive> evaluationGames = new ConcurrentHashMap<>();

    SessionLive session(String id) {
        return sessions.computeIfAbsent(id, SessionLive::new);
    }

    Optional<SessionLive> existing(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    Collection<SessionLive> sessions() {
        return sessions.values();
    }

    /** A session's event updates its state; an evaluation's events and allocations belong to no session here. */
    void onEvent(LifecycleEvent e) {
        if (EvaluationIds.isEvaluationEvent(e) || EvaluationIds.isEvaluation(e.session())) {
            return;
        }
        session(e.session()).apply(e);
    }

    EvaluationGameLive evaluationGame(String evaluation) {
        return evaluationGames.computeIfAbsent(evaluation, EvaluationGameLive::new);
    }

    Optional<EvaluationGameLive> existingEvaluationGame(String evaluation) {
        return Optional.ofNullable(evaluationGames.get(evaluation));
    }

    Collection<EvaluationGameLive> evaluationGames() {
        return evaluationGames.values();
    }

    void forgetEvaluation(String evaluation) {
        evaluationGames.remove(evaluation);
    }

    void forget(String id) {
        sessions.remove(id);
    }

    void system(SystemStatus s) {
        system.put(s.node(), s);
    }

    public List<SystemStatus> systemStatuses() {
        return List.copyOf(system.values());
    }

    /** The live view of a session, or empty when no record of it reached this replica. */
    public Optional<LiveView> view(String id) {
        SessionLive s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        synchronized (s) {
            return Optional.of(new LiveView(s.state, s.attempt, s.step < 0 ? null : s.step, Map.copyOf(s.latest),
                    s.updatedAt == 0 ? null : s.updatedAt, s.allocation, s.allocationState, s.lastEvent,
                    s.game == null ? null : s.game.gameId(), s.game == null ? null : s.game.ply(), s.stepsPerSecond()));
        }
    }

    /** How often a session's live state has changed (-1: nothing reached this replica): equal versions, equal views. */
    public long version(String id) {
        SessionLive s = sessions.get(id);
        if (s == null) {
            return -1;
        }
        synchronized (s) {
            return s.version;
        }
    }

    /** Latest steps per second per session, as the trainers report them (for the performance page). */
    public Map<String, Double> throughput() {
        Map<String, Double> out = new java.util.TreeMap<>();
        sessions.forEach((id, s) -> {
            synchronized (s) {
                Double sps = s.latest.get("steps_per_second");
                if (sps != null) {
                    out.put(id, sps);
                }
            }
        });
        return out;
    }

    /** A copy of what the streams said about a session. {@code state} is null until an event names one. */
    public record LiveView(String state, int attempt, Long step, Map<String, Double> metrics, Long updatedAt,
                           io.keisei.contracts.AllocationInfo allocation, String allocationEvent, LifecycleEvent lastEvent,
                           String gameId, Integer gamePly, Double stepsPerSecond) {
    }
}
