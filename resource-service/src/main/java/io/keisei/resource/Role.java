package io.keisei.resource;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The roles of the Keisei security plan; quotas are set per role ({@link SessionQuotas}, QuotaPolicy). */
public enum Role {
    ADMIN, TRAINER, RESEARCHER, VIEWER;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromWire(String s) {
        if (s == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(r -> r.wire().equals(s)).findFirst();
    }

    public static String allowed() {
        return Arrays.stream(values()).map(Role::wire).collect(Collectors.joining(", "));
    }
}
