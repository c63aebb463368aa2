package io.keisei.gateway.service;

import com.fasterxml.jackson.databind.JsonNode;
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

    public SessionStatusService(SessionDirectory directory, LiveState live) {
        this.directory = directory;
        this.live = live;
    }

    public SessionStatusView status(String id) {
        JsonNode s = directory.get(id);
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
