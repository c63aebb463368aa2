package io.keisei.gateway.idempotency;

import java.util.Optional;
import java.util.Set;

/**
 * The rules of Idempotency-Key, pure (IETF draft "The Idempotency-Key HTTP Header Field", as Stripe behaves).
 *
 * <ul>
 *   <li>A key is taken by the first request that carries it (an atomic claim; {@link IdempotencyFilter}).</li>
 *   <li>A later request with the key and a different method, path or body is refused with 422, whether the first is
 *       answered or not: a key names one request.</li>
 *   <li>The same request again while the first is still being carried out: 409, try again later.</li>
 *   <li>The same request again after it was answered: that answer, replayed.</li>
 * </ul>
 *
 * <p>Which answers are kept ({@link #keeps}): those a retry would get again. Successes (2xx) and the client's own
 * errors (4xx) are kept, except those that depend on the moment rather than on the request: 401 and 403 (the token
 * or its role may change), 408, 409 (a state conflict may clear) and 429 (a rate limit resets). Everything else (5xx:
 * a service down, a timeout, an open breaker; and the rest) frees the key, so that a retry is carried out.
 */
public final class IdempotencyPlanner {

    private static final Set<Integer> MOMENTARY_CLIENT_ERRORS = Set.of(401, 403, 408, 409, 429);

    private IdempotencyPlanner() {
    }

    /** What to do with {@code request}, whose key could not be claimed because it holds {@code stored}. */
    public static IdempotencyPlan plan(Optional<KeyRecord> stored, RequestFingerprint request) {
        if (stored.isEmpty()) {
            return new IdempotencyPlan(IdempotencyPlan.Action.CLAIM_AGAIN, null);
        }
        KeyRecord r = stored.get();
        if (!r.request().equals(request)) {
            return new IdempotencyPlan(IdempotencyPlan.Action.MISMATCH, r);
        }
        return new IdempotencyPlan(r.state() == KeyRecord.State.DONE ? IdempotencyPlan.Action.REPLAY
                : IdempotencyPlan.Action.IN_PROGRESS, r);
    }

    /** Whether an answer with this status is kept for retries (else the key is freed). */
    public static boolean keeps(int status) {
        if (status >= 200 && status < 300) {
            return true;
        }
        return status >= 400 && status < 500 && !MOMENTARY_CLIENT_ERRORS.contains(status);
    }
}
