package io.keisei.gateway.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.keisei.gateway.hub.LiveState;
import io.keisei.gateway.progress.ProgressRate;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Set;

/** Joins the session record (cached) with the live stream state (memory): no downstream call per request. */
@ApplicationScoped
public class SessionStatusService {

    private static final Set<String> RUNNING = Set.of("RUNNING", "STARTING");

    private final SessionDirectory directory;
    private final LiveState live;
    private final ObjectMapper json;
    /**
     * The JSON last rendered per session, with what it was rendered from: the session record (by identity: the
     * directory hands out one instance until it refreshes it) and the live state's version. Polled a thousand times a
     * second, a session is rendered once per change, not once per request.
     */
    private final Cache<String, Rendered> rendered = Caffeine.newBuilder().maximumSize(10_000).build();

    private record Rendered(JsonNode record, long version, byte[] json) {
    }

    public SessionStatusService(SessionDirectory directory, LiveState live, ObjectMapper json) {
        this.directory = directory;
        this.live = live;
        this.json = json;
    }

    /** The status as JSON: rendered again only when the record or the live state changed since the last time. */
    public byte[] statusJson(String id) {
        JsonNode record = directory.get(id);
        // Read before rendering: a change that lands meanwhile is in the bytes or bumps the version, never lost.
        long version = live.version(id);
        Rendered r = rendered.getIfPresent(id);
        if (r != null && r.record() == record && r.version() == version) {
            return r.json();
        }
        try {
            byte[] bytes = json.writeValueAsBytes(status(id, record));
            rendered.put(id, new Rendered(record, version, bytes));
            return bytes;
        } catch (JsonProcessingException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public SessionStatusView status(String id) {
        return status(id, directory.get(id));
    }

    private SessionStatusView status(String id, JsonNode s) {
        LiveState.LiveView v = live.view(id).orElse(null);
        long step = Math.max(s.path("currentStep").asLong(0), v == null || v.step() == null ? 0 : v.step());
        JsonNode total = s.path("config").path("training").path("total_timesteps");
        Long totalSteps = total.canConvertToLong() ? total.asLong() : null;
        String state = s.path("state").asText(null);
        Map<String, Double> metrics = v == null ? Map.of() : v.metrics();
        // The smoothed speed of the live state, and only while running: a paused session's last report is not its speed.
        boolean running = state != null && RUNNING.contains(state.toUpperCase(java.util.Locale.ROOT));
        Double sps = running && v != null ? v.stepsPerSecond() : null;
        Long eta = ProgressRate.eta(sps, step, totalSteps);
        Double progress = totalSteps == null || totalSteps == 0 ? null : Math.min(1.0, step / (double) totalSteps);
        return new SessionStatusView(id, s.path("name").asText(null), s.path("owner").asText(null), state,
                s.path("stateReason").asText(null), Math.max(s.path("attempts").asInt(0), v == null ? 0 : v.attempt()), step,
                totalSteps, progress, sps, eta, metrics, v == null ? null : v.updatedAt(),
                v == null ? null : SessionStatusView.Allocation.of(v.allocationEvent(), v.allocation()),
                v == null || v.gameId() == null ? null : new SessionStatusView.Game(v.gameId(), v.gamePly()),
                s.path("latestCheckpointId").asText(null));
    }
}
