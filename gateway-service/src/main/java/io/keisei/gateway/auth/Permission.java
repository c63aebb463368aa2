package io.keisei.gateway.auth;

import com.fasterxml.jackson.annotation.JsonValue;

/** Permissions of the Keisei security plan (ARCHITECTURE.md, "Security model"). */
public enum Permission {
    TRAINING_START("training.start"),
    TRAINING_STOP("training.stop"),
    TRAINING_CONFIG("training.config"),
    TRAINING_MONITOR("training.monitor"),
    MODELS_READ("models.read"),
    MODELS_WRITE("models.write"),
    MODELS_DELETE("models.delete"),
    MODELS_EXPORT("models.export"),
    /** Run evaluations (matches between models and fixed players): issue #21 gives it to researchers too. */
    MODELS_EVALUATE("models.evaluate"),
    SYSTEM_CONFIG("system.config"),
    SYSTEM_LOGS("system.logs"),
    USERS_MANAGE("users.manage");

    private final String wireName;

    Permission(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
