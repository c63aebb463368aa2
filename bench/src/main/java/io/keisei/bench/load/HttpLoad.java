package io.keisei.bench.load;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open-loop HTTP load: requests start on a fixed schedule whatever the answers do, and latency is
 * measured from the scheduled start (so a stall shows as latency, not as fewer requests).
 */
final class HttpLoad {

    /** One kind of request in the mix, with its share. */
    record Call(String label, String method, String path, int weight) {
    }

    private HttpLoad() {
    }

    static Latencies run(Api api, List<Call> mix, int perSecond, int seconds) throws InterruptedException {
        Latencies lat = new Latencies();
        int total = mix.stream().mapToInt(Call::weight).sum();
        long count = (long) perSecond * seconds;
        CountDownLatch done = new CountDownLatch((int) count);
        AtomicLong issued = new AtomicLong();
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(2, Daemon.THREADS);
        long periodNanos = 1_000_000_000L / perSecond;
        long start = System.nanoTime() + 50_000_000L;
        clock.scheduleAtFixedRate(() -> {
            long i = issued.getAndIncrement();
            if (i >= count) {
                return;
            }
            Call c = pick(mix, total, i);
            long scheduled = start + i * periodNanos;
            api.sendAsync(c.method(), c.path()).whenComplete((r, e) -> {
                if (e != null || r.statusCode() >= 400) {
                    lat.error(c.label());
                } else {
                    lat.record(c.label(), System.nanoTime() - scheduled);
                }
                done.countDown();
            });
        }, start - System.nanoTime(), periodNanos, TimeUnit.NANOSECONDS);
        done.await(seconds + 60L, TimeUnit.SECONDS);
        clock.shutdownNow();
        return lat;
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
