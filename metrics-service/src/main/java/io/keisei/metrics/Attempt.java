package io.keisei.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * One attempt of a session (1 for the first start, +1 per resume): the steps its stored points span
 * and when it started. Null steps: known from lifecycle events only, or fully superseded (lastStep).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Attempt(int attempt, Long firstStep, Long lastStep, Instant startedAt) {
}
