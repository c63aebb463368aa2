package io.keisei.gateway.rest.schema;

import com.fasterxml.jackson.annotation.JsonValue;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Locale;

/** The states of a training session, as training-service's SessionState writes them (lower case). */
@Schema(name = "SessionState", description = "created → queued → starting → running → pausing → paused, or stopping → "
        + "stopped, or completed, or failed. Resume (from paused, stopped or failed) starts a new attempt through queued.")
public enum SessionState {
    CREATED, QUEUED, STARTING, RUNNING, PAUSING, PAUSED, STOPPING, STOPPED, COMPLETED, FAILED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
