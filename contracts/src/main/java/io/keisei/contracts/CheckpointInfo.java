package io.keisei.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A checkpoint file written by a trainer, as announced in a {@link EventType#CHECKPOINT_SAVED} event. */
public record CheckpointInfo(String path, @JsonProperty(required = true) long step, @JsonProperty(required = true) long sizeBytes, String sha256) {

    public CheckpointInfo {
        Checks.required("checkpoint.path", path);
        Checks.nonNegative("checkpoint.step", step);
        Checks.nonNegative("checkpoint.sizeBytes", sizeBytes);
        Checks.required("checkpoint.sha256", sha256);
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new MessageFormatException(MessageFormatException.Kind.INVALID_VALUE,
                    "field 'checkpoint.sha256' must be 64 lower-case hex digits");
        }
    }
}
