package io.keisei.metrics;

import java.time.Instant;

/** A lifecycle event of a session as metrics-service recorded it (chart markers). */
public record SessionEvent(String streamId, String type, Integer attempt, Instant time, String state, String reason) {
}
