package io.keisei.contracts.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** A lifecycle event of a session as metrics-service recorded it (chart markers). */
@Schema(name = "SessionEvent", description = "A lifecycle event of a session (starts, pauses, stops, checkpoints, allocations).")
public record SessionEvent(
        @Schema(description = "the Redis stream id of the event (a resume cursor for /ws)") String streamId,
        @Schema(required = true, description = "e.g. session.started, session.paused, checkpoint.saved") String type,
        Integer attempt,
        Instant time,
        @Schema(description = "the state the session moved to, for state changes") String state,
        String reason) {
}
