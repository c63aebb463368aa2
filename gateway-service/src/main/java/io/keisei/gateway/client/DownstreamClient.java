package io.keisei.gateway.client;

import io.keisei.common.rest.ProblemException;
import io.keisei.common.security.ServiceCredentials;
import io.keisei.contracts.ServiceCredential;
import io.keisei.gateway.config.GatewayConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.VertxInternal;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one way the gateway calls internal services: a bounded wait on every call (until the
 * response headers) and a circuit breaker per service, so a dead service costs callers a fast 503
 * with Retry-After instead of a hang, and a bulkhead per service so that a slow one cannot take
 * every request thread. Only transport failures count against the breaker: a 4xx or 5xx answer
 * means the service is there. Every call carries the service credential, forwarded and typed alike.
 *
 * <p>Forwarded calls use Vert.x' HTTP client (HTTP/1.1, keep-alive, no pipelining): per service two pools as large
 * as its bulkhead, one for reads with the short bound and one for writes, downloads and exports (so long answers
 * never keep reads waiting for a connection), all their I/O on one event loop of the service's own. The calling
 * worker thread hands the call to that event loop and waits once for the answer: a small answer (Content-Length up
 * to {@value #MAX_BUFFERED} bytes, or an unknown length that ends within it, except for downloads and exports) is
 * read in full there and comes back as bytes; anything larger or of unknown length is streamed with back-pressure
 * ({@link StreamedBody}), so it never sits whole in gateway memory.
 */
@ApplicationScoped
public class DownstreamClient {

    private static final Logger LOG = Logger.getLogger(DownstreamClient.class);
    private static final String RETRY_AFTER = "Retry-After";
    /** Answers up to this many bytes are read in full before the caller gets them; larger ones are streamed. */
    static final int MAX_BUFFERED = 1024 * 1024;
    /** How long an unused pooled connection is kept. */
    private static final int KEEP_ALIVE_SECONDS = 30;

    /**
     * One service: its base path, its two pools and the event loop they do their I/O on. No idle timeout on the
     * connections themselves: a download paused by a slow client sends nothing for as long as the client takes; every
     * call has its own bound instead.
     */
    private record Endpoint(String host, int port, boolean tls, String prefix, HttpClient reads, HttpClient slow,
                            Context context) {
    }

    private final GatewayConfig.Services config;
    private final ServiceCredentials credentials;
    private final HttpClient probes;
    private final Map<Service, Endpoint> endpoints = new EnumMap<>(Service.class);
    private final Map<Service, Guard> guards = new EnumMap<>(Service.class);
    private final Map<Service, CircuitBreakerState> breakerStates = new EnumMap<>(Service.class);
    private final Map<Service, StallWatch> stalls = new EnumMap<>(Service.class);

    public DownstreamClient(GatewayConfig gatewayConfig, ServiceCredentials credentials, Vertx vertx) {
        this.config = gatewayConfig.services();
        this.credentials = credentials;
        // Liveness probes get connections of their own: a service whose pool is busy with slow calls still answers them.
        this.probes = vertx.httpClientBuilder()
                .with(new HttpClientOptions().setKeepAlive(false).setConnectTimeout(millis(config.stallProbe()))
                        .setName("keisei-downstream-probe"))
                .with(new PoolOptions().setHttp1MaxSize(1))
                .build();
        GatewayConfig.CircuitBreaker cb = config.circuitBreaker();
        for (Service s : Service.values()) {
            URI base = base(s);
            // An event-loop context of its own (the caller's may be a worker's, whose callbacks would need a free worker).
            Context context = ((VertxInternal) vertx).createEventLoopContext();
            boolean tls = "https".equalsIgnoreCase(base.getScheme());
            endpoints.put(s, new Endpoint(base.getHost(), base.getPort() != -1 ? base.getPort() : tls ? 443 : 80, tls,
                    basePath(base), pool(vertx, s, base, "reads"), pool(vertx, s, base, "slow"), context));
            breakerStates.put(s, CircuitBreakerState.CLOSED);
            stalls.put(s, new StallWatch(s.displayName(), base, probes, config.stallProbe(), config.stallProbe()));
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

    private HttpClient pool(Vertx vertx, Service service, URI base, String kind) {
        boolean tls = "https".equalsIgnoreCase(base.getScheme());
        HttpClientOptions options = new HttpClientOptions()
                .setDefaultHost(base.getHost())
                .setDefaultPort(base.getPort() != -1 ? base.getPort() : tls ? 443 : 80)
                .setSsl(tls)
                .setKeepAlive(true)
                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                .setPipelining(false)
                .setTcpNoDelay(true)
                .setConnectTimeout(millis(config.timeout()))
                .setName("keisei-downstream-" + service.displayName() + "-" + kind);
        return vertx.httpClientBuilder().with(options).with(new PoolOptions().setHttp1MaxSize(config.concurrency())).build();
    }

    private static String basePath(URI base) {
        String path = base.getRawPath();
        return path == null ? "" : path.replaceAll("/+$", "");
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    @PreDestroy
    void close() {
        endpoints.values().forEach(e -> {
            e.reads().close();
            e.slow().close();
        });
        probes.close();
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
     * Sends a request and returns the answer: read in full when it is small, otherwise with its body unread and
     * streamed (the caller reads it or closes it; {@link DownstreamResponse#toResponse()} streams it through). Blocks
     * the calling thread until the response headers (and a small body) arrive: call it from a worker thread, never
     * from an event loop.
     *
     * @param pathAndQuery a path starting with '/', with its raw query when there is one
     * @param body         null for no body
     * @param slow         a long answer (a download, an export): the long bound, and a body of unknown length is
     *                     streamed from its first byte rather than read first
     */
    public DownstreamResponse send(Service service, String method, String pathAndQuery, byte[] body, String contentType,
                                   Map<String, String> headers, boolean slow) {
        if (Context.isOnEventLoopThread()) {
            // Waiting here would stall every connection of that event loop.
            throw new IllegalStateException("downstream calls block: make them from a worker thread, not an event loop");
        }
        Endpoint endpoint = endpoints.get(service);
        boolean write = !"GET".equals(method);
        // Writes get the long bound whatever the caller says: timing out a write that then succeeds invites a duplicate retry.
        Duration timeout = slow || write ? config.slowTimeout() : config.timeout();
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        if (headers != null) {
            headers.forEach(h::add);
        }
        if (contentType != null && body != null) {
            h.set("Content-Type", contentType);
        }
        if (body == null && ("POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method))) {
            h.set("Content-Length", "0");
        }
        h.set(ServiceCredential.HEADER, credentials.outgoing());
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.valueOf(method))
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setSsl(endpoint.tls())
                .setURI(endpoint.prefix() + pathAndQuery)
                .setHeaders(h)
                // Bounds waiting for a pooled connection too (then the request is never sent).
                .setConnectTimeout(timeout.toMillis());
        HttpClient pool = slow || write ? endpoint.slow() : endpoint.reads();
        refuseIfStalled(service);
        DownstreamResponse r;
        try {
            r = guards.get(service).call(() -> exchange(endpoint, pool, request, body, timeout, slow), DownstreamResponse.class);
        } catch (ProblemException e) {
            throw e;
        } catch (Exception e) {
            throw failure(service, e, timeout);
        }
        if (r.status() == 401) {
            r.close();
            throw credentialRefused(service);
        }
        if (r.status() == 503 && (r.header(RETRY_AFTER) == null || r.header(RETRY_AFTER).isBlank())) {
            // Passed on as it is (its problem says why), with a Retry-After the client can act on.
            r = r.withHeader(RETRY_AFTER, String.valueOf(defaultRetryAfter()));
        }
        return r;
    }

    /**
     * One call on the service's event loop, waited for here: until the response headers, within {@code timeout}; a
     * body read in full may take as long again after them. A call given up on is reset (its connection closed).
     */
    private DownstreamResponse exchange(Endpoint endpoint, HttpClient pool, RequestOptions options, byte[] body,
                                        Duration timeout, boolean streamUnknownLength) throws Exception {
        Exchange x = new Exchange(endpoint.context(), streamUnknownLength, config.slowTimeout());
        CompletableFuture<DownstreamResponse> answer = new CompletableFuture<>();
        endpoint.context().runOnContext(v -> pool.request(options)
                .compose(req -> x.send(req, body))
                .compose(x::answered)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        answer.completeExceptionally(ar.cause());
                    } else if (!answer.complete(ar.result())) {
                        ar.result().close();   // given up on meanwhile: let the connection go
                    }
                }));
        try {
            try {
                return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!x.headersArrived()) {
                    throw e;
                }
                return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (TimeoutException e) {
            x.abandon(answer);
            throw new DownstreamTimeout(timeout);
        } catch (InterruptedException e) {
            x.abandon(answer);
            throw e;
        } catch (ExecutionException e) {
            throw transport(e.getCause());
        }
    }

    /** The state of one call, touched on its event loop (but for {@link #headersArrived}). */
    private static final class Exchange {
        private final Context context;
        private final boolean streamUnknownLength;
        private final Duration stallBound;
        private HttpClientRequest request;
        private boolean abandoned;
        /** The answer is complete or handed to a StreamedBody: resetting the request now could close a reused connection. */
        private boolean settled;
        private volatile boolean headersArrived;

        Exchange(Context context, boolean streamUnknownLength, Duration stallBound) {
            this.context = context;
            this.streamUnknownLength = streamUnknownLength;
            this.stallBound = stallBound;
        }

        Future<HttpClientResponse> send(HttpClientRequest req, byte[] body) {
            if (abandoned) {
                req.reset();
                return Future.failedFuture(new DownstreamTimeout(null));
            }
            request = req;
            return body == null ? req.send() : req.send(Buffer.buffer(body));
        }

        boolean headersArrived() {
            return headersArrived;
        }

        Future<DownstreamResponse> answered(HttpClientResponse resp) {
            headersArrived = true;
            int status = resp.statusCode();
            Map<String, List<String>> headers = headersOf(resp.headers());
            long length = contentLength(resp.getHeader("Content-Length"));
            boolean noBody = status == 204 || status == 304 || length == 0;
            if (!noBody && (length > MAX_BUFFERED || (length < 0 && streamUnknownLength))) {
                settled = true;
                return Future.succeededFuture(DownstreamResponse.streamed(status, headers,
                        new StreamedBody(request, resp, context, null, stallBound)));
            }
            Promise<DownstreamResponse> read = Promise.promise();
            Buffer bytes = Buffer.buffer(length > 0 ? (int) length : 1024);
            resp.handler(chunk -> {
                bytes.appendBuffer(chunk);
                if (bytes.length() > MAX_BUFFERED) {
                    // Longer than announced or of unknown length: stream on from what was read (it takes the response over).
                    settled = true;
                    read.tryComplete(DownstreamResponse.streamed(status, headers,
                            new StreamedBody(request, resp, context, bytes, stallBound)));
                }
            });
            resp.endHandler(v -> {
                settled = true;
                read.tryComplete(DownstreamResponse.buffered(status, headers, bytes.getBytes()));
            });
            resp.exceptionHandler(read::tryFail);
            return read.future();
        }

        /** Gives the call up: a request in flight is reset, an answer that comes anyway is released. */
        void abandon(CompletableFuture<DownstreamResponse> answer) {
            if (!answer.cancel(false) && !answer.isCompletedExceptionally()) {
                answer.join().close();   // it came just now: nobody will read it
            }
            context.runOnContext(v -> {
                abandoned = true;
                if (request != null && !settled) {
                    request.reset();
                }
            });
        }
    }

    private static Map<String, List<String>> headersOf(MultiMap headers) {
        Map<String, List<String>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> e : headers) {
            all.computeIfAbsent(e.getKey(), k -> new ArrayList<>(1)).add(e.getValue());
        }
        return all;
    }

    private static long contentLength(String value) {
        if (value == null) {
            return -1;
        }
        try {
            long n = Long.parseLong(value.strip());
            return n < 0 ? -1 : n;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** No answer in time (connecting, waiting for a pooled connection, or for the answer): a transport failure. */
    static final class DownstreamTimeout extends IOException {
        DownstreamTimeout(Duration timeout) {
            super(timeout == null ? "timed out" : "no answer within " + timeout.toMillis() + " ms");
        }
    }

    /** What a failed call threw, as the breaker counts it: transport failures are IOExceptions. */
    private static Exception transport(Throwable t) {
        if (t instanceof DownstreamTimeout timeout) {
            return timeout;
        }
        if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
            DownstreamTimeout timeout = new DownstreamTimeout(null);
            timeout.initCause(t);
            return timeout;
        }
        if (t instanceof IOException io) {
            return io;
        }
        if (t instanceof io.vertx.core.VertxException) {
            // "Connection was closed" and the like: the service went away mid-call.
            return new IOException(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage(), t);
        }
        if (t instanceof Exception e) {
            return e;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return new IOException(t);
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
        if (cause instanceof DownstreamTimeout || cause instanceof TimeoutException
                || cause.getClass().getSimpleName().contains("Timeout")) {
            stalls.get(service).timedOut();
            return unavailable(service, "did not answer within " + timeout.toMillis() + " ms");
        }
        if (cause instanceof IOException) {
            Throwable why = cause.getClass() == IOException.class && cause.getCause() != null ? cause.getCause() : cause;
            String kind = why instanceof java.net.ConnectException ? "ConnectException" : why.getClass().getSimpleName();
            return unavailable(service, "is unreachable (" + kind + ")");
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
