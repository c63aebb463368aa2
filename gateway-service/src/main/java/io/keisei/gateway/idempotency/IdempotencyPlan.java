package io.keisei.gateway.idempotency;

/**
 * What {@link IdempotencyPlanner#plan} decided for a request whose key is already taken.
 *
 * @param stored what the key holds (null for {@link Action#CLAIM_AGAIN})
 */
public record IdempotencyPlan(Action action, KeyRecord stored) {

    public enum Action {
        /** The key was freed meanwhile (released or expired): claim it again. */
        CLAIM_AGAIN,
        /** The same request was answered: send that answer again. */
        REPLAY,
        /** The same request is being carried out now: 409 with Retry-After, never a second run. */
        IN_PROGRESS,
        /** The key belongs to another request (method, path or body differ): 422. */
        MISMATCH
    }

    /** MISMATCH: a 422's detail, saying what the key was first used for. */
    public String mismatchDetail(RequestFingerprint request) {
        RequestFingerprint first = stored.request();
        boolean sameCall = first.method().equals(request.method()) && first.pathAndQuery().equals(request.pathAndQuery());
        return "this Idempotency-Key was first used for " + (sameCall ? "this call with another body" : first.describe())
                + "; a key names one request: send a new key with a new request";
    }
}
