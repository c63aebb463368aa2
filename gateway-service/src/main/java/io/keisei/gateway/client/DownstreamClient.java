package io.keisei.gateway.client;

import io.keisei.common.rest.ProblemException;
import io.keisei.common.security.ServiceCredentials;
import io.keisei.contracts.ServiceCredential;
import io.keisei.gateway.config.GatewayConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The one way the gateway calls internal services: a bounded wait on every call (until the
 * response headers) and a circuit breaker per service, so a dead service costs callers a fast 503
 * with Retry-After instead of a hang, and a bulkhead per service so that a slow one cannot take
 * every request thread. Only transport failures count against the breaker: a 4xx or 5xx answer
 * means the service is there. Every call carries the service credential, forwarded and typed alike.
 */
@ApplicationScoped
public class DownstreamClient {

    private static final Logger LOG = Logger.getLogger(DownstreamClient.class);
    private static final String RETRY_AFTER = "Retry-After";

    private final GatewayConfig.Services config;
    private final ServiceCredentials credentials;
    private final HttpClient http;
    private final Map<Service, Guard> guards = new EnumMap<>(Service.class);
    private final Map<Service, CircuitBreakerState> breakerStates = new EnumMap<>(Service.class);
    private final Map<Service, StallWatch> stalls = new EnumMap<>(Service.class);

    public DownstreamClient(GatewayConfig gatewayConfig, ServiceCredentials credentials) {
        this.config = gatewayConfig.services();
        this.credentials = credentials;
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).version(HttpClient.Version.HTTP_1_1).build();
        GatewayConfig.CircuitBreaker cb = config.circuitBreaker();
        for (Service s : Service.values()) {
            breakerStates.put(s, CircuitBreakerState.CLOSED);
            stalls.put(s, new StallWatch(s.displayName(), base(s), http, config.stallProbe(), config.stallProbe()));
            guards.put(s, Guard.create()
                    .withDescription("downstream " + s.displayName())
                    // A bulkhead per service: a slow service may hold only this many request threads, so calls
                    // served from memory (status, the hub) never queue behind it.
                    .withBulkhead().limit(config.concurrency()).done()
                    .withCircuitBreaker()
                    .requestVolumeThreshold(cb.requestVolume())
                    .failureRatio(cb.failureRatio())
                    .delay(cb.delay().toMillis(), ChronoUnit.MILLIS)
                    .failOn(List.of(IOException.class, ProcessingException.class))
                    .onStateChange(state -> onBreakerChange(s, state))
                    .done()
                    .build());
        }
    }

    /** Typed clients of the internal APIs the gateway reads for itself, bounded like every read. */
    <T> T typed(Service service, Class<T> api) {
        return QuarkusRestClientBuilder.newBuilder().baseUri(base(service))
                .connectTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .register(credentials.clientFilter()) // internal services answer only holders of the service credential
                .build(api);
    }

    /**
     * A typed read under the same bulkhead, breaker and failure mapping as a forwarded call: empty
     * when the service answers 404, 503 with its Retry-After (or the gateway's) when it answers 503 or
     * cannot answer, a 502 problem for its other errors.
     */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> read(Service service, Callable<T> call) {
        refuseIfStalled(service);
        try {
            return Optional.ofNullable((T) guards.get(service).call(call::call, Object.class));
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status == 404) {
                return Optional.empty();
            }
            if (status == 401) {
                throw credentialRefused(service);
            }
            if (status == 503) {
                throw answeredUnavailable(service, e.getResponse().getHeaderString(RETRY_AFTER));
            }
            throw new ProblemException(502, "Bad Gateway", service.displayName() + " answered " + status, null, null, null);
        } catch (Exception e) {
            throw failure(service, e, config.timeout());
        }
    }

    public URI base(Service service) {
        return switch (service) {
            case TRAINING -> config.training();
            case METRICS -> config.metrics();
            case RESOURCE -> config.resource();
        };
    }

    public Map<Service, CircuitBreakerState> breakerStates() {
        synchronized (breakerStates) {
            return Map.copyOf(breakerStates);
        }
    }

    /**
     * Sends a request and returns the response with its body unread (the caller streams or reads it).
     *
     * @param pathAndQuery a path starting with '/', with its raw query when there is one
     * @param body         null for no body
     */
    public DownstreamResponse send(Service service, String method, String pathAndQuery, byte[] body, String contentType,
                                   Map<String, String> headers, boolean slow) {
        URI uri = URI.create(base(service).toString().replaceAll("/+$", "") + pathAndQuery);
        // Writes get the long bound whatever the caller says: timing out a write that then succeeds invites a duplicate retry.
        Duration timeout = slow || !"GET".equals(method) ? config.slowTimeout() : config.timeout();
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null && body != null) {
            rb.header("Content-Type", contentType);
        }
        if (headers != null) {
            headers.forEach(rb::header);
        }
        rb.setHeader(ServiceCredential.HEADER, credentials.outgoing());
        HttpRequest request = rb.build();
        refuseIfStalled(service);
        try {
            @SuppressWarnings("unchecked")
            HttpResponse<InputStream> r = guards.get(service).call(
                    () -> http.send(request, HttpResponse.BodyHandlers.ofInputStream()), HttpResponse.class);
            if (r.statusCode() == 401) {
                try (InputStream unread = r.body()) {
                    throw credentialRefused(service);
                }
            }
            HttpHeaders answered = r.headers();
            if (r.statusCode() == 503 && answered.firstValue(RETRY_AFTER).filter(v -> !v.isBlank()).isEmpty()) {
                // Passed on as it is (its problem says why), with a Retry-After the client can act on.
                answered = withHeader(answered, RETRY_AFTER, String.valueOf(defaultRetryAfter()));
            }
            return new DownstreamResponse(r.statusCode(), answered, r.body());
        } catch (ProblemException e) {
            throw e;
        } catch (Exception e) {
            throw failure(service, e, timeout);
        }
    }

    /**
     * An internal service answers 401 only when it refused the gateway's service credential: a deployment error
     * (KEISEI_SERVICE_TOKEN differs), never the user's, so the user gets 502 and not the service's 401.
     */
    private ProblemException credentialRefused(Service service) {
        LOG.errorf("%s refused the gateway's service credential: KEISEI_SERVICE_TOKEN differs between the services",
                service.displayName());
        return new ProblemException(502, "Bad Gateway", service.displayName() + " refused the gateway's service credential",
                null, null, null);
    }

    /**
     * The service answered 503 (its database or Redis is down, say): so does the gateway, with the service's
     * Retry-After when it gave a usable one (seconds), the gateway's otherwise. Not a 502: the service is there
     * and says when to come back. Not counted against its breaker.
     */
    private ProblemException answeredUnavailable(Service service, String retryAfter) {
        Integer seconds = retryAfterSeconds(retryAfter);
        return new ProblemException(503, "Service Unavailable", service.displayName()
                + " is temporarily unavailable; try again shortly", null, null, seconds != null ? seconds : defaultRetryAfter());
    }

    /** A Retry-After in seconds, or null when there is none or it is not a number of seconds (an HTTP date, say). */
    static Integer retryAfterSeconds(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long s = Long.parseLong(value.strip());
            return s < 0 ? null : (int) Math.min(s, 86_400);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static HttpHeaders withHeader(HttpHeaders headers, String name, String value) {
        Map<String, List<String>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        all.putAll(headers.map());
        all.put(name, List.of(value));
        return HttpHeaders.of(all, (k, v) -> true);
    }

    /** How a call that got no answer fails, for the caller: 503 with Retry-After, saying why. */
    private RuntimeException failure(Service service, Exception e, Duration timeout) {
        Throwable cause = e instanceof ProcessingException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof CircuitBreakerOpenException) {
            return unavailable(service, "is unavailable (circuit open after repeated failures)");
        }
        if (cause instanceof BulkheadException) {
            return new ProblemException(503, "Service Unavailable", service.displayName() + " is busy ("
                    + config.concurrency() + " calls in progress); try again shortly", null, null, 1);
        }
        if (cause instanceof HttpTimeoutException || cause instanceof java.util.concurrent.TimeoutException
                || cause.getClass().getSimpleName().contains("Timeout")) {
            stalls.get(service).timedOut();
            return unavailable(service, "did not answer within " + timeout.toMillis() + " ms");
        }
        if (cause instanceof IOException) {
            return unavailable(service, "is unreachable (" + cause.getClass().getSimpleName() + ")");
        }
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return unavailable(service, "call was interrupted");
        }
        if (e instanceof RuntimeException re && !(e instanceof ProcessingException)) {
            return re;
        }
        return unavailable(service, "call failed (" + cause.getClass().getSimpleName() + ")");
    }

    /** A stalled service is not called at all: the caller gets its 503 now, not after the timeout. */
    private void refuseIfStalled(Service service) {
        StallWatch stall = stalls.get(service);
        if (stall.stalled()) {
            throw unavailable(service, "is not answering (stalled for " + stall.stalledForMillis() / 1000 + " s)");
        }
    }

    private ProblemException unavailable(Service service, String what) {
        return new ProblemException(503, "Service Unavailable", service.displayName() + " " + what + "; try again shortly",
                null, null, defaultRetryAfter());
    }

    /** The gateway's own Retry-After: when the breaker would let a call through again. */
    private int defaultRetryAfter() {
        return (int) Math.max(1, config.circuitBreaker().delay().toSeconds());
    }

    private void onBreakerChange(Service service, CircuitBreakerState state) {
        synchronized (breakerStates) {
            breakerStates.put(service, state);
        }
        LOG.infof("circuit breaker for %s is now %s", service.displayName(), state);
    }
}
