package io.keisei.resource.service;

import io.keisei.common.rest.ProblemException;
import io.keisei.resource.AllocationRecord;
import io.keisei.resource.Role;
import io.keisei.resource.SessionQuotas;
import io.keisei.resource.config.ResourceConfig;
import io.keisei.resource.persistence.AllocationRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Quotas per role (keisei.resources.quotas.*), counted per owner:
 * <ul>
 *   <li>concurrent sessions: the owner's granted allocations in all pools. A request beyond it
 *       waits in the queue ("quota: 2 of 2 concurrent sessions in use") and starts when one of the
 *       owner's sessions ends; a role whose quota is 0 may not run sessions at all (403);</li>
 *   <li>GPU-hours per day: GPUs times granted time of the owner's allocations within the last 24
 *       hours. A request for GPUs once they are used up is rejected (422); a role whose quota is 0
 *       may not use GPUs (403). Checked at admission only: a running session is never stopped
 *       for it, and a request admitted under the quota may start later even if the owner's other
 *       sessions used the rest meanwhile.</li>
 * </ul>
 */
@ApplicationScoped
public class QuotaPolicy {

    static final Duration DAY = Duration.ofHours(24);
    private static final double SECONDS_PER_HOUR = 3600.0;

    private final ResourceConfig.Quotas config;
    private final AllocationRepository allocations;

    public QuotaPolicy(ResourceConfig config, AllocationRepository allocations) {
        this.config = config.quotas();
        this.allocations = allocations;
    }

    ResourceConfig.Quota of(Role role) {
        return switch (role) {
            case ADMIN -> config.admin();
            case TRAINER -> config.trainer();
            case RESEARCHER -> config.researcher();
            case VIEWER -> config.viewer();
        };
    }

    /** Concurrent sessions the role may run; empty = unlimited. */
    public OptionalInt concurrentLimit(Role role) {
        int n = of(role).concurrentSessions();
        return n < 0 ? OptionalInt.empty() : OptionalInt.of(n);
    }

    /** GPU-hours a day the role may use; empty = unlimited. */
    public OptionalDouble gpuHoursLimit(Role role) {
        double h = of(role).gpuHoursPerDay();
        return h < 0 ? OptionalDouble.empty() : OptionalDouble.of(h);
    }

    /**
     * The checks made when a request arrives: 403 when the role may not run sessions (or use
     * GPUs), 422 when the owner has used up its GPU-hours.
     */
    public void checkAdmission(Connection c, String owner, Role role, int gpus, Instant now) throws SQLException {
        OptionalInt sessions = concurrentLimit(role);
        if (sessions.isPresent() && sessions.getAsInt() == 0) {
            throw forbidden("quota: role '" + role.wire() + "' may not run sessions (0 concurrent sessions)");
        }
        OptionalDouble hours = gpuHoursLimit(role);
        if (gpus == 0 || hours.isEmpty()) {
            return;
        }
        if (hours.getAsDouble() == 0) {
            throw forbidden("quota: role '" + role.wire() + "' may not use GPUs (0 GPU-hours per day)");
        }
        double used = allocations.gpuSeconds(c, owner, now.minus(DAY), now) / SECONDS_PER_HOUR;
        if (used >= hours.getAsDouble()) {
            throw ProblemException.unprocessable(String.format(Locale.ROOT,
                    "quota: %s has used %.1f of %s GPU-hours in the last 24 h (role '%s'); GPUs are available again "
                            + "as older use leaves the 24-hour window", owner, used, plain(hours.getAsDouble()), role.wire()));
        }
    }

    /**
     * What a queue pass over {@code pool} needs to apply concurrent-session quotas. With
     * {@code forGrants}, the owners whose requests may be granted are locked first (see
     * {@link AllocationRepository#lockOwners}), so counts stay true until the pass commits.
     */
    public SessionQuotas forPass(Connection c, String pool, List<AllocationRecord> live, boolean forGrants)
            throws SQLException {
        Set<String> limited = live.stream()
                .filter(a -> !a.granted() && concurrentLimit(a.role()).isPresent())
                .map(AllocationRecord::owner)
                .collect(Collectors.toSet());
        if (limited.isEmpty()) {
            return new SessionQuotas(this::concurrentLimit, java.util.Map.of());
        }
        if (forGrants) {
            allocations.lockOwners(c, limited);
        }
        return new SessionQuotas(this::concurrentLimit, allocations.grantedPerOwnerOutside(c, pool, limited));
    }

    private static ProblemException forbidden(String detail) {
        return new ProblemException(403, "Forbidden", detail, null, null, null);
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
