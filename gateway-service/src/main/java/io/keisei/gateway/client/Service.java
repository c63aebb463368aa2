package io.keisei.gateway.client;

/** The internal services behind the gateway. */
public enum Service {
    TRAINING("training-service"),
    METRICS("metrics-service"),
    RESOURCE("resource-service");

    private final String displayName;

    Service(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
