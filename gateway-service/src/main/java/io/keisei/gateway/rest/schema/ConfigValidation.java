package io.keisei.gateway.rest.schema;

import io.keisei.common.rest.FieldError;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** The answer of validateConfig (training-service's ConfigResource.Validation). */
@Schema(name = "ConfigValidation", description = "Valid with the effective config, or invalid with one error per field.")
public record ConfigValidation(
        @Schema(required = true) boolean valid,
        @Schema(description = "the config a trainer would get (the input over the defaults), when valid")
        Map<String, Object> effective,
        @Schema(description = "what is wrong, by dotted field path (e.g. training.learning_rate), when invalid")
        List<FieldError> errors) {
}
