package io.keisei.common.rest;

/** One invalid field of a request: its path (e.g. {@code training.learning_rate}) and what is wrong. */
public record FieldError(String field, String message) {
}
