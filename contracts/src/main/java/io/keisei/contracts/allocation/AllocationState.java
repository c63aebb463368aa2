package io.keisei.contracts.allocation;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Lifecycle of an allocation: queued → granted → released; or queued → released (cancelled). */
public enum AllocationState {
    QUEUED, GRANTED, RELEASED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
