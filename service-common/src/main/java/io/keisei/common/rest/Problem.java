package io.keisei.common.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * An RFC 9457 problem document. {@code errors} carries field-level detail for validation
 * failures; {@code state} carries the current state for 409 conflicts of the session state machine.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance,
                      List<FieldError> errors, String state) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
