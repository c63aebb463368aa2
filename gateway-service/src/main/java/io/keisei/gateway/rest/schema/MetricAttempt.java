package io.keisei.gateway.rest.schema;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** An attempt's span of stored points (metrics-service's Attempt): chart markers. */
@Schema(name = "MetricAttempt", description = "One attempt of a session (1 for the first start, +1 per resume) and the "
        + "steps its stored points span; null steps when known from lifecycle events only.")
public record MetricAttempt(@Schema(required = true) int attempt, Long firstStep, Long lastStep, Instant startedAt) {
}
