package io.keisei.resource;

import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * What a queue pass needs to know about concurrent-session quotas: the limit of each role (empty =
 * unlimited) and how many allocations each owner holds granted in <em>other</em> pools (the pool
 * being planned counts its own).
 */
public record SessionQuotas(Function<Role, OptionalInt> limits, Map<String, Integer> grantedElsewhere) {

    /** No quotas at all. */
    public static final SessionQuotas NONE = new SessionQuotas(r -> OptionalInt.empty(), Map.of());

    public SessionQuotas {
        grantedElsewhere = Map.copyOf(grantedElsewhere);
    }

    public OptionalInt limit(Role role) {
        return limits.apply(role);
    }

    public int grantedElsewhere(String owner) {
        return grantedElsewhere.getOrDefault(owner, 0);
    }
}
