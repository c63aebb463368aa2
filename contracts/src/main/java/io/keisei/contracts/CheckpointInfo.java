package io.keisei.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * A checkpoint file written by a trainer, as announced in a {@link EventType#CHECKPOINT_SAVED} event.
 *
 * @param metrics optional metric values at the save (e.g. the Keisei bridge's latest {@code keisei/eval/*}), for
 *                trainers whose checkpoint files carry no header of ours; null when absent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckpointInfo(String path, @JsonProperty(required = true) long step, @JsonProperty(required = true) long sizeBytes,
                             String sha256, Map<String, Double> metrics) {

    public CheckpointInfo {
        Checks.required("checkpoint.path", path);
        Checks.nonNegative("checkpoint.step", step);
        Checks.nonNegative("checkpoint.sizeBytes", sizeBytes);
        Checks.required("checkpoint.sha256", sha256);
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new MessageFormatException(MessageFormatException.Kind.INVALID_VALUE,
                    "field 'checkpoint.sha256' must be 64 lower-case hex digits");
        }
        metrics = metrics == null ? null : metrics.entrySet().stream()
                .filter(e -> e.getKey() != null && e.getValue() != null && Double.isFinite(e.getValue()))
                .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    public CheckpointInfo(String path, long step, long sizeBytes, String sha256) {
        this(path, step, sizeBytes, sha256, null);
    }
}
