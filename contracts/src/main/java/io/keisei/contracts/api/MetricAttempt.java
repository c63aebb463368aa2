package io.keisei.contracts.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/**
 * One attempt of a session (1 for the first start, +1 per resume): the steps its stored points span
 * and when it started. Null steps: known from lifecycle events only, or fully superseded (lastStep).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "MetricAttempt", description = "One attempt of a session (1 for the first start, +1 per resume) and the "
        + "steps its stored points span; null steps when known from lifecycle events only.")
public record MetricAttempt(@Schema(required = true) int attempt, Long firstStep, Long lastStep, Instant startedAt) {
}
