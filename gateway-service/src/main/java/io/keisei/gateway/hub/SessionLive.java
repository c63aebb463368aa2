package io.keisei.gateway.hub;

import io.keisei.contracts.AllocationInfo;
import io.keisei.contracts.GameState;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.MetricUpdate;
import io.keisei.gateway.progress.ProgressRate;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything this gateway replica knows live about one session, fed by the streams: the latest
 * value of every metric, the current game, the allocation, the last event; plus what was last
 * pushed (for throttling and differential updates). All access is synchronized on the instance.
 */
final class SessionLive {

    final String id;

    // Latest state, from the streams.
    int attempt;
    long step = -1;
    long metricsTime;
    String metricsId;
    final Map<String, Double> latest = new LinkedHashMap<>();
    long updatedAt;
    /** Counts every change of the state above: what was rendered from one version holds until the next. */
    long version;
    String state;
    LifecycleEvent lastEvent;
    AllocationInfo allocation;
    String allocationState;
    GameState game;
    String gameId;
    /** The smoothed speed behind every ETA (status endpoint and live updates alike). */
    final ProgressRate rate = new ProgressRate();

    // Push bookkeeping.
    final Map<String, Double> lastSent = new HashMap<>();
    long lastSentStep = -1;
    long lastTrainingPush;
    boolean trainingPending;
    long lastGamePush;
    boolean gamePending;

    SessionLive(String id) {
        this.id = id;
    }

    synchronized void apply(String streamId, MetricUpdate m) {
        if (m.attempt() > attempt || m.attempt() == attempt && m.step() >= step) {
            attempt = m.attempt();
            step = m.step();
            metricsTime = m.time();
            rate.observe(attempt, step, metricsTime);
        }
        latest.putAll(m.metrics());
        metricsId = streamId;
        updatedAt = Math.max(updatedAt, m.time());
        version++;
        trainingPending = true;
    }

    synchronized void apply(String streamId, GameState g) {
        game = g;
        gameId = streamId;
        updatedAt = Math.max(updatedAt, g.time());
        version++;
        gamePending = true;
    }

    synchronized void apply(LifecycleEvent e) {
        lastEvent = e;
        if (e.state() != null) {
            state = e.state();
            if (!running()) {
                rate.reset();
            }
        }
        if (e.allocation() != null) {
            allocation = e.allocation();
            allocationState = e.type().wire();
        }
        updatedAt = Math.max(updatedAt, e.time());
        version++;
    }

    /** A full snapshot of the latest metrics, or null before the first record. */
    synchronized TrainingUpdate fullUpdate() {
        return step < 0 ? null : new TrainingUpdate(true, attempt, step, metricsTime, new LinkedHashMap<>(latest), stepsPerSecond());
    }

    /** The smoothed speed while the session runs (a paused or stopped session has none, whatever it last reported). */
    synchronized Double stepsPerSecond() {
        return state == null || running() ? rate.stepsPerSecond() : null;
    }

    private boolean running() {
        return "running".equalsIgnoreCase(state) || "starting".equalsIgnoreCase(state);
    }
}
