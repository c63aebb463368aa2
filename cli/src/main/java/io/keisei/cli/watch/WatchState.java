package io.keisei.cli.watch;

import com.fasterxml.jackson.databind.JsonNode;
import io.keisei.cli.follow.SessionStates;
import io.keisei.contracts.EventType;
import io.keisei.contracts.MetricNames;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * What {@code keisei sessions watch} knows about one session: seeded from the status endpoint, then folded from
 * the hub's messages (training updates carry the step and only the metrics that changed, so the metrics are
 * merged; session events carry the state). Pure: no I/O, so the folding is tested on its own.
 */
public final class WatchState {

    private final String id;
    private String name;
    private String state;
    private String reason;
    private int attempt;
    private long step;
    private Long totalSteps;
    private final Map<String, Double> metrics = new HashMap<>();
    /** The server's smoothed speed (the one behind every ETA the suite shows), not the trainer's momentary metric. */
    private Double speed;
    private boolean ended;
    private String lastEvent;

    public WatchState(String id) {
        this.id = id;
    }

    /** The answer of GET /api/v1/sessions/{id}/status (first, and again after a reconnect). */
    public void applyStatus(JsonNode status) {
        name = text(status, "name", name);
        String s = text(status, "state", state);
        if (!ended || SessionStates.isFinal(s)) { // a status read just after the final event may lag behind it
            state = s;
            reason = status.path("stateReason").asText(null);
        }
        attempt = Math.max(attempt, status.path("attempt").asInt(0));
        step = Math.max(step, status.path("step").asLong(0));
        if (status.path("totalTimesteps").canConvertToLong()) {
            totalSteps = status.path("totalTimesteps").asLong();
        }
        speed = status.path("stepsPerSecond").isNumber() ? status.path("stepsPerSecond").asDouble() : null;
        status.path("metrics").fields().forEachRemaining(e -> {
            if (e.getValue().isNumber()) {
                metrics.put(e.getKey(), e.getValue().asDouble());
            }
        });
        if (SessionStates.isFinal(state)) {
            ended = true;
        }
    }

    /** One hub envelope ({@code type}, {@code data}); returns whether anything shown changed. */
    public boolean apply(JsonNode envelope) {
        JsonNode data = envelope.path("data");
        switch (envelope.path("type").asText("")) {
            case "training_update" -> {
                step = Math.max(step, data.path("step").asLong(step));
                attempt = Math.max(attempt, data.path("attempt").asInt(attempt));
                if (data.path("stepsPerSecond").isNumber()) {
                    speed = data.path("stepsPerSecond").asDouble();
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = data.path("metrics").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (e.getValue().isNumber()) {
                        metrics.put(e.getKey(), e.getValue().asDouble());
                    }
                }
                return true;
            }
            case "session_event" -> {
                return applyEvent(data);
            }
            case "allocation_event" -> {
                String r = data.path("reason").asText(null);
                if ("queued".equals(state) && r != null) {
                    reason = r;
                    return true;
                }
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    private boolean applyEvent(JsonNode event) {
        EventType type;
        try {
            type = EventType.fromWire(event.path("type").asText(""));
        } catch (RuntimeException e) {
            return false; // a newer server's event: nothing this client shows
        }
        lastEvent = type.wire();
        if (type == EventType.CHECKPOINT_SAVED) {
            return true;
        }
        String s = event.path("state").asText(null);
        if (s == null && type.wire().startsWith("session.")) {
            s = switch (type) {
                case SESSION_STARTED -> "running";
                case SESSION_DELETED -> "deleted";
                default -> type.wire().substring("session.".length());
            };
        }
        if (s != null) {
            state = s;
            reason = event.path("reason").asText(null);
            if (!"running".equals(s) && !"starting".equals(s)) {
                speed = null;
            }
        }
        if (event.path("attempt").canConvertToInt()) {
            attempt = Math.max(attempt, event.path("attempt").asInt());
        }
        if (type == EventType.SESSION_STOPPED || type == EventType.SESSION_COMPLETED || type == EventType.SESSION_FAILED
                || type == EventType.SESSION_DELETED) {
            ended = true;
        }
        return true;
    }

    /** The session has ended: stopped, completed, failed or deleted (a paused one may still resume). */
    public boolean ended() {
        return ended;
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public String state() {
        return state;
    }

    public String reason() {
        return reason;
    }

    public int attempt() {
        return attempt;
    }

    public long step() {
        return step;
    }

    public Long totalSteps() {
        return totalSteps;
    }

    public String lastEvent() {
        return lastEvent;
    }

    /** The smoothed speed while the session runs, as the server estimates it; null when paused or not yet known. */
    public Double stepsPerSecond() {
        return "running".equals(state) || "starting".equals(state) ? speed : null;
    }

    public Double reward() {
        return metrics.get(MetricNames.EPISODE_REWARD_MEAN);
    }

    /** The evaluation win rate against a random player, the run's headline number. */
    public Double winRate() {
        return metrics.get(MetricNames.EVAL_WIN_RATE_VS_RANDOM);
    }

    public Double progress() {
        return totalSteps == null || totalSteps <= 0 ? null : Math.min(1.0, step / (double) totalSteps);
    }

    /** Seconds left at the smoothed speed, while the trainer runs; null when that cannot be said (the server's formula). */
    public Long etaSeconds() {
        Double sps = stepsPerSecond();
        if (totalSteps == null || sps == null || sps <= 0) {
            return null;
        }
        return (long) Math.ceil(Math.max(0, totalSteps - step) / sps);
    }

    private static String text(JsonNode n, String field, String fallback) {
        return n.path(field).isTextual() ? n.path(field).asText() : fallback;
    }
}
