package io.keisei.bench.load;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop HTTP load in the manner of wrk2: requests are due on a fixed schedule whatever the
 * answers do, go out over a bounded pool of keep-alive connections (waiting for a free one when all
 * are busy; all of them opened before the clock starts), and latency is measured from the time each request was due. A stall then shows as
 * latency rather than as fewer requests (no coordinated omission), and the generator does not open a
 * connection per request in flight, which a server sees as a connection storm rather than load.
 */
final class HttpLoad {

    /** Keep-alive connections to the gateway; wrk's usual count for a few thousand requests per second. */
    static final int CONNECTIONS = 64;

    /** One kind of request in the mix, with its share. */
    record Call(String label, String method, String path, int weight) {
    }

    private HttpLoad() {
    }

    /**
     * A few seconds of the mix before a measured run, not recorded: the generator's own first requests (class
     * loading, JIT, connections) would otherwise show as the suite's latency.
     */
    static void warmUp(Api api, List<Call> mix) throws InterruptedException {
        run(api, mix, 100, 3);
    }

    static Latencies run(Api api, List<Call> mix, int perSecond, int seconds) throws InterruptedException {
        Latencies lat = new Latencies();
        int total = mix.stream().mapToInt(Call::weight).sum();
        int count = perSecond * seconds;
        CountDownLatch done = new CountDownLatch(count);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        HttpClient http = vertx.createHttpClient(new HttpClientOptions()
                        .setDefaultHost(api.base.getHost()).setDefaultPort(api.base.getPort()).setKeepAlive(true)
                        .setTcpNoDelay(true).setConnectTimeout(5000),
                new PoolOptions().setHttp1MaxSize(CONNECTIONS).setMaxWaitQueueSize(-1));
        String auth = "Bearer " + api.token;
        openConnections(http, mix, auth);
        long periodNanos = 1_000_000_000L / perSecond;
        long start = System.nanoTime() + 50_000_000L;
        try {
            // One pacer thread: it sleeps until the next request is due and sends every request that is due, so a
            // late wake-up sends a small burst rather than shifting the whole schedule.
            for (int i = 0; i < count; ) {
                long now = System.nanoTime();
                long due = start + i * periodNanos;
                if (due > now) {
                    LockSupport.parkNanos(due - now);
                    continue;
                }
                while (i < count && start + i * periodNanos <= now) {
                    Call c = pick(mix, total, i);
                    long scheduled = start + i * periodNanos;
                    RequestOptions ro = new RequestOptions().setMethod(HttpMethod.valueOf(c.method())).setURI(c.path())
                            .putHeader("Authorization", auth).setIdleTimeout(60_000);
                    http.request(ro)
                            .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode())))
                            .onComplete(ar -> {
                                if (ar.failed() || ar.result() >= 400) {
                                    lat.error(c.label());
                                } else {
                                    lat.recordAt((int) ((scheduled - start) / 1_000_000_000L), c.label(), System.nanoTime() - scheduled);
                                }
                                done.countDown();
                            });
                    i++;
                }
            }
            done.await(seconds + 60L, TimeUnit.SECONDS);
        } finally {
            http.close();
            vertx.close();
        }
        return lat;
    }

    /**
     * Opens the pool's connections before the clock starts, as wrk2 does (CONNECTIONS requests at once, unrecorded): a
     * phase otherwise began with its connections opened on demand, their handshakes among the first requests' latency.
     */
    private static void openConnections(HttpClient http, List<Call> mix, String auth) throws InterruptedException {
        Call read = mix.stream().filter(c -> "GET".equals(c.method())).findFirst().orElse(null);
        if (read == null) {
            return;
        }
        CountDownLatch open = new CountDownLatch(CONNECTIONS);
        for (int c = 0; c < CONNECTIONS; c++) {
            http.request(new RequestOptions().setMethod(HttpMethod.GET).setURI(read.path()).putHeader("Authorization", auth))
                    .compose(req -> req.send().compose(resp -> resp.body()))
                    .onComplete(ar -> open.countDown());
        }
        open.await(30, TimeUnit.SECONDS);
    }

    private static Call pick(List<Call> mix, int total, long i) {
        long slot = Math.floorMod(i * 7919L, total);
        for (Call c : mix) {
            slot -= c.weight();
            if (slot < 0) {
                return c;
            }
        }
        return mix.get(mix.size() - 1);
    }
}
