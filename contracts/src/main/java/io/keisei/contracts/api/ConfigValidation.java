package io.keisei.contracts.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** The answer of the validate endpoint: valid with the effective config, or the field errors. */
@Schema(name = "ConfigValidation", description = "Valid with the effective config, or invalid with one error per field.")
public record ConfigValidation(
        @Schema(required = true) boolean valid,
        @Schema(implementation = Map.class, additionalProperties = Object.class,
                description = "the config a trainer would get (the input over the defaults), when valid")
        ObjectNode effective,
        @Schema(description = "what is wrong, by dotted field path (e.g. training.learning_rate), when invalid")
        List<FieldError> errors) {
}
