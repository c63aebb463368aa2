package io.keisei.gateway.client;

import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether one internal service is stalled: a call to it timed out and its liveness does not answer either (a hung
 * process, a frozen VM). While it is, calls fail at once with 503 instead of each waiting out the timeout; the
 * breaker alone would need {@code request-volume} slow failures first. A liveness probe every
 * {@code probeEvery} clears it as soon as the service (or its replacement) answers again. A service that is merely
 * slow answers its liveness and is never considered stalled. Probes use a client of their own (Vert.x', one
 * connection per service, not kept), so a service whose pool is busy with slow calls still gets them.
 */
final class StallWatch {

    private static final Logger LOG = Logger.getLogger(StallWatch.class);
    private static final ScheduledExecutorService PROBES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "downstream-stall-probe");
        t.setDaemon(true);
        return t;
    });

    private final String name;
    private final URI live;
    private final HttpClient http;
    private final Duration probeTimeout;
    private final Duration probeEvery;
    private final AtomicBoolean stalled = new AtomicBoolean();
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile long stalledSince;

    StallWatch(String name, URI base, HttpClient http, Duration probeTimeout, Duration probeEvery) {
        this.name = name;
        this.live = base.resolve("/q/health/live");
        this.http = http;
        this.probeTimeout = probeTimeout;
        this.probeEvery = probeEvery;
    }

    /** A call timed out: find out whether the service is alive at all. */
    void timedOut() {
        if (probing.compareAndSet(false, true)) {
            PROBES.execute(this::probe);
        }
    }

    boolean stalled() {
        return stalled.get();
    }

    /** Milliseconds since it stalled (0 when it is not). */
    long stalledForMillis() {
        return stalled.get() ? System.currentTimeMillis() - stalledSince : 0;
    }

    private void probe() {
        boolean alive;
        try {
            long ms = Math.max(1, probeTimeout.toMillis());
            // Vert.x resets a probe that gets no data for the timeout; the wait here is bounded as well.
            alive = http.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(live.toString())
                            .setConnectTimeout(ms).setIdleTimeout(ms))
                    .compose(req -> req.send())
                    .compose(resp -> resp.body().map(ignored -> resp.statusCode() == 200))
                    .toCompletionStage().toCompletableFuture()
                    .get(ms + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            probing.set(false);
            return;
        } catch (Exception e) {
            alive = false;
        }
        if (alive) {
            if (stalled.compareAndSet(true, false)) {
                LOG.infof("%s answers again after %d ms stalled", name, System.currentTimeMillis() - stalledSince);
            }
            probing.set(false);
            return;
        }
        if (stalled.compareAndSet(false, true)) {
            stalledSince = System.currentTimeMillis();
            LOG.warnf("%s timed out and does not answer its liveness check: failing calls to it at once until it does", name);
        }
        PROBES.schedule(this::probe, probeEvery.toMillis(), TimeUnit.MILLISECONDS);
    }
}
