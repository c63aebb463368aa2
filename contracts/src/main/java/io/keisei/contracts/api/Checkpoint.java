package io.keisei.contracts.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.Map;

/** A registered checkpoint (a model in the API). The file path stays server-side. */
@Schema(name = "Model", description = "A model: a checkpoint a trainer saved, with its metadata.")
public record Checkpoint(
        @Schema(required = true) String id,
        @Schema(required = true, description = "the session that trained it") String session,
        int attempt,
        @Schema(description = "the global timestep it was saved at") long step,
        long sizeBytes,
        @Schema(required = true, pattern = "^[0-9a-f]{64}$",
                description = "SHA-256 of the file, lower-case hex (the download's ETag)") String sha256,
        @Schema(implementation = Map.class, additionalProperties = Object.class,
                description = "the network's architecture as the trainer described it") JsonNode architecture,
        @Schema(implementation = Map.class, additionalProperties = Object.class,
                description = "metric values when it was saved") JsonNode metrics,
        Instant createdAt,
        @Schema(description = "whether it is its session's best, as automatic gating decided") boolean best,
        @Schema(description = "where automatic gating stands with it") Gate gate) {

    /** Gate states: not gated, waiting for its turn, playing, and the four ends. */
    public static final String GATE_NONE = "none";
    public static final String GATE_PENDING = "pending";
    public static final String GATE_RUNNING = "running";
    public static final String GATE_PROMOTED = "promoted";
    public static final String GATE_REJECTED = "rejected";
    public static final String GATE_SKIPPED = "skipped";
    public static final String GATE_FAILED = "failed";

    /**
     * A model's gate against its session's best: its state, the score of all its games against that best so far (its
     * wins, draws and losses, over every batch), the SPRT's log-likelihood ratio, and why it ended as it did.
     */
    @Schema(name = "ModelGate", description = "Automatic gating of a model against its session's best.")
    public record Gate(
            @Schema(required = true, enumeration = {GATE_NONE, GATE_PENDING, GATE_RUNNING, GATE_PROMOTED, GATE_REJECTED,
                    GATE_SKIPPED, GATE_FAILED}, description = "none: not gated (gating off when it was saved); pending: "
                    + "waits for the gate in progress; running: its gate evaluation plays; promoted: it became the best "
                    + "(also the session's first gated checkpoint); rejected: not significantly stronger; skipped: a newer "
                    + "checkpoint was gated instead; failed: its gate evaluation failed or was cancelled") String state,
            @Schema(description = "the best it is (or was) gated against") String against,
            @Schema(description = "games it won against that best") int wins,
            int draws,
            @Schema(description = "games it lost against that best") int losses,
            @Schema(description = "sprt: the log-likelihood ratio of H1 against H0 after those games") Double llr,
            @Schema(description = "the gate evaluation in progress, or the last one") String evaluation,
            @Schema(description = "why it is in its state: the score and the rule that decided, a failure") String reason,
            @Schema(description = "when it was decided") Instant decidedAt) {
    }
}
