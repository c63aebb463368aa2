package io.keisei.contracts.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One invalid field of a request: its path (e.g. {@code training.learning_rate}) and what is wrong. */
@Schema(name = "FieldError", description = "One invalid parameter or body field and what is wrong with it.")
public record FieldError(
        @Schema(required = true, description = "the parameter's name or the body field's dotted path, e.g. training.learning_rate")
        String field,
        @Schema(required = true, description = "what is wrong, e.g. must be > 0") String message) {
}
