package io.keisei.gateway.idempotency;

import io.keisei.common.rest.ProblemException;
import io.keisei.gateway.auth.Principal;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Idempotency-Key on the operations marked {@link Idempotent}, after authentication, rate limit and permission
 * (a refused request takes no key). A request with a key claims it in Redis before it is carried out; the answer
 * replaces the claim ({@link IdempotencyPlanner#keeps} says which are kept) or the claim is freed. A request whose
 * key is taken is answered from what the key holds ({@link IdempotencyPlanner#plan}): the first answer again, 409
 * while the first request runs, 422 for another request. Requests without the header pass untouched.
 *
 * <p>If Redis cannot be reached the request is refused with 503 (the caller asked for at most one run, which cannot
 * be promised then; without the header it would go through). An answer that cannot be stored is sent anyway, and
 * logged: its key is freed when the lease ends.
 */
@Idempotent
@Provider
@Priority(Priorities.USER)
public class IdempotencyFilter implements ContainerRequestFilter, ContainerResponseFilter {

    private static final Logger LOG = Logger.getLogger(IdempotencyFilter.class);
    private static final String CLAIM = IdempotencyFilter.class.getName() + ".claim";
    /** Answers larger than this are sent but not kept (the operations that take a key answer a few KB). */
    static final int MAX_KEPT_BYTES = 1 << 20;
    private static final int RETRY_AFTER_SECONDS = 1;

    /** The key this request holds, until its answer is stored. */
    private record Claim(CallerScope scope, String redisKey, KeyRecord record) {
    }

    private final IdempotencyStore store;
    private final AnswerCapture capture;

    public IdempotencyFilter(IdempotencyStore store, AnswerCapture capture) {
        this.store = store;
        this.capture = capture;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        Optional<IdempotencyKey> key = IdempotencyKey.of(request.getHeaders().get(IdempotencyKey.HEADER));
        Principal principal = (Principal) request.getProperty(Principal.class.getName());
        if (key.isEmpty() || principal == null) {
            return;   // every operation that takes a key needs a token, so a principal is always there
        }
        byte[] body = readBody(request);
        URI uri = request.getUriInfo().getRequestUri();
        String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        RequestFingerprint fingerprint = RequestFingerprint.of(request.getMethod(), pathAndQuery, body);
        CallerScope scope = CallerScope.of(principal.tokenId(), bearerSecret(request));
        String redisKey = scope.redisKey(key.get());
        KeyRecord claim = KeyRecord.processing(fingerprint, UUID.randomUUID().toString());
        // A taken key that is freed between the claim and the read is claimed again (a few times at most).
        for (int attempt = 0; attempt < 3; attempt++) {
            if (redis(() -> store.claim(redisKey, claim))) {
                request.setProperty(CLAIM, new Claim(scope, redisKey, claim));
                return;
            }
            IdempotencyPlan plan = IdempotencyPlanner.plan(redis(() -> store.read(redisKey)), fingerprint);
            switch (plan.action()) {
                case CLAIM_AGAIN -> {
                }
                case REPLAY -> {
                    request.abortWith(StoredAnswer.fromBytes(scope.open(plan.stored().sealed(), redisKey)).replay());
                    return;
                }
                case IN_PROGRESS -> throw inProgress();
                case MISMATCH -> throw new ProblemException(422, "Idempotency-Key reused", plan.mismatchDetail(fingerprint),
                        null, null, null);
            }
        }
        throw inProgress();
    }

    /** A Redis call of the request filter: its failure refuses the request (503). */
    private static <T> T redis(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            LOG.warnf("Idempotency-Key not checked, request refused: Redis unavailable (%s)", e.getMessage());
            throw new ProblemException(503, "Service Unavailable", "the Idempotency-Key cannot be checked now (its store is "
                    + "unavailable); try again shortly", null, null, RETRY_AFTER_SECONDS);
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(CLAIM) instanceof Claim claim)) {
            return;
        }
        request.removeProperty(CLAIM);
        int status = response.getStatus();
        try {
            if (!IdempotencyPlanner.keeps(status)) {
                store.release(claim.redisKey(), claim.record());
                return;
            }
            StoredAnswer answer;
            try {
                answer = capture.capture(response);
            } catch (IOException e) {
                store.release(claim.redisKey(), claim.record());
                throw new UncheckedIOException(e);
            }
            byte[] plain = answer.toBytes();
            if (plain.length > MAX_KEPT_BYTES) {
                LOG.warnf("an answer of %d bytes to %s is not kept for its Idempotency-Key", plain.length,
                        claim.record().request().describe());
                store.release(claim.redisKey(), claim.record());
                return;
            }
            KeyRecord answered = claim.record().done(claim.scope().seal(plain, claim.redisKey()));
            if (!store.complete(claim.redisKey(), claim.record(), answered)) {
                LOG.warnf("the answer to %s is not kept for its Idempotency-Key: its claim lapsed after %s and another "
                        + "request took the key (raise KEISEI_IDEMPOTENCY_LEASE)", claim.record().request().describe(),
                        store.lease());
            }
        } catch (UncheckedIOException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warnf("the answer to %s is not kept for its Idempotency-Key: Redis unavailable (%s)",
                    claim.record().request().describe(), e.getMessage());
        }
    }

    private static ProblemException inProgress() {
        return new ProblemException(409, "Conflict", "a request with this Idempotency-Key is still being carried out; try "
                + "again after Retry-After seconds for its answer", null, null, RETRY_AFTER_SECONDS);
    }

    /** The body's bytes, read once and put back for the resource method. */
    private static byte[] readBody(ContainerRequestContext request) throws IOException {
        InputStream in = request.getEntityStream();
        byte[] body = in == null ? new byte[0] : in.readAllBytes();
        request.setEntityStream(new ByteArrayInputStream(body));
        return body;
    }

    /** The token as sent; ApiSecurityFilter has accepted it, so the header is a bearer token. */
    private static String bearerSecret(ContainerRequestContext request) {
        return request.getHeaderString(HttpHeaders.AUTHORIZATION).substring("Bearer ".length()).strip();
    }
}
