package io.keisei.gateway.rest.schema;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A training config as a free-form JSON object: its shape depends on the trainer's dialect, which the API describes
 * at run time (getConfigSchema), so the document does not fix it.
 */
@Schema(name = "TrainingConfig", type = SchemaType.OBJECT, additionalProperties = Schema.True.class,
        description = "A training config in its trainer's dialect: for keisei-2025 (the built-in trainer) the sections env, "
                + "training, evaluation, logging, wandb and parallel, e.g. {\"training\": {\"learning_rate\": 0.0003}}. "
                + "getConfigSchema gives the JSON Schema of each dialect.")
public final class TrainingConfig {

    private TrainingConfig() {
    }
}
