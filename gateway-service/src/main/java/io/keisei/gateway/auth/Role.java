package io.keisei.gateway.auth;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static io.keisei.gateway.auth.Permission.*;

/**
 * Roles of the Keisei security model with exactly the permissions ARCHITECTURE.md lists.
 * Ownership (a trainer controls only their own sessions) is checked separately, per session.
 */
public enum Role {
    ADMIN(EnumSet.allOf(Permission.class)),
    TRAINER(EnumSet.of(TRAINING_START, TRAINING_STOP, TRAINING_MONITOR, MODELS_READ, MODELS_WRITE, MODELS_EVALUATE)),
    RESEARCHER(EnumSet.of(TRAINING_MONITOR, MODELS_READ, MODELS_EXPORT, MODELS_EVALUATE)),
    VIEWER(EnumSet.of(TRAINING_MONITOR, MODELS_READ));

    private final Set<Permission> permissions;

    Role(Set<Permission> permissions) {
        this.permissions = permissions;
    }

    public Set<Permission> permissions() {
        return permissions;
    }

    public boolean has(Permission p) {
        return permissions.contains(p);
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String s) {
        if (s == null) {
            return Optional.empty();
        }
        for (Role r : values()) {
            if (r.wireName().equals(s.strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
