package io.keisei.common.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.keisei.contracts.api.FieldError;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * An RFC 9457 problem document. {@code errors} carries field-level detail for validation
 * failures; {@code state} carries the current state for 409 conflicts of the session state machine.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@Schema(name = "Problem", description = "An RFC 9457 problem document (application/problem+json): every error answer.")
public record Problem(
        @Schema(description = "a URI naming the kind of problem; about:blank, so the status says it") String type,
        @Schema(required = true, description = "a short summary of the status, e.g. Invalid request") String title,
        @Schema(required = true, description = "the HTTP status code") int status,
        @Schema(required = true, description = "what went wrong, for people") String detail,
        @Schema(description = "the path of the request") String instance,
        @Schema(description = "400: one entry per invalid parameter or body field") List<FieldError> errors,
        @Schema(description = "409 about a session or allocation: its current state") String state) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
