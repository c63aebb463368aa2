package io.keisei.resource.service;

import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.allocation.AllocationRequest;
import io.keisei.contracts.api.FieldError;
import io.keisei.resource.Resources;
import io.keisei.resource.Role;
import io.keisei.resource.config.ResourceConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Checks an {@link AllocationRequest} field by field and reports every problem at once (400 with
 * field errors). Whether the pool exists and whether the request can fit it are admission's
 * business, decided under the pool lock.
 */
@ApplicationScoped
public class AllocationRequestValidator {

    static final int MAX_ID_LENGTH = 200;
    static final int MAX_PRIORITY = 1000;
    /** Below zero: background jobs that wait behind every session by default (evaluations, at -10). */
    static final int MIN_PRIORITY = -1000;

    /** A request that passed validation, with the pool resolved to a name. */
    public record ValidRequest(String session, String owner, Role role, int priority, String pool, Resources need) {
    }

    private final ResourceConfig config;

    public AllocationRequestValidator(ResourceConfig config) {
        this.config = config;
    }

    public ValidRequest validate(AllocationRequest r) {
        if (r == null) {
            throw ProblemException.badRequest("the request body must be an allocation request", List.of());
        }
        List<FieldError> errors = new ArrayList<>();
        text(errors, "session", r.session(), true);
        text(errors, "owner", r.owner(), true);
        text(errors, "pool", r.pool(), false);
        if (r.role() == null || r.role().isBlank()) {
            errors.add(new FieldError("role", "is required (one of " + Role.allowed() + ")"));
        } else if (Role.fromWire(r.role()).isEmpty()) {
            errors.add(new FieldError("role", "unknown role '" + r.role() + "' (one of " + Role.allowed() + ")"));
        }
        if (r.priority() < MIN_PRIORITY || r.priority() > MAX_PRIORITY) {
            errors.add(new FieldError("priority", "must be in [" + MIN_PRIORITY + ", " + MAX_PRIORITY + "], was " + r.priority()));
        }
        ResourceConfig.Limits limits = config.limits();
        amount(errors, "cpuMillis", r.cpuMillis(), 1, limits.maxCpuMillis());
        amount(errors, "memoryMb", r.memoryMb(), 1, limits.maxMemoryMb());
        amount(errors, "gpus", r.gpus(), 0, limits.maxGpus());
        if (!errors.isEmpty()) {
            String detail = errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
            throw ProblemException.badRequest(detail, errors);
        }
        String pool = r.pool() != null ? r.pool()
                : config.mode() == ResourceConfig.Mode.KUBERNETES ? config.kubernetes().defaultPool() : config.local().poolName();
        return new ValidRequest(r.session(), r.owner(), Role.fromWire(r.role()).orElseThrow(), r.priority(), pool,
                new Resources(r.cpuMillis(), r.memoryMb(), r.gpus()));
    }

    private static void text(List<FieldError> errors, String field, String value, boolean required) {
        if (value == null) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
        } else if (value.isBlank()) {
            errors.add(new FieldError(field, "must not be blank"));
        } else if (value.length() > MAX_ID_LENGTH) {
            errors.add(new FieldError(field, "must be at most " + MAX_ID_LENGTH + " characters"));
        } else if (!value.strip().equals(value) || value.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError(field, "must not have surrounding spaces or control characters"));
        }
    }

    private static void amount(List<FieldError> errors, String field, long value, long min, long max) {
        if (value < min) {
            errors.add(new FieldError(field, "must be >= " + min + ", was " + value));
        } else if (value > max) {
            errors.add(new FieldError(field, "must be <= " + max + " (an absurd size), was " + value));
        }
    }
}
