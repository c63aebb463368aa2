package io.keisei.gateway.perf;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyHistogramTest {

    @Test
    void summariesReadWhileOtherThreadsRecordNeitherFailNorLoseValues() throws Exception {
        LatencyHistogram h = new LatencyHistogram();
        int writers = 3;
        int perWriter = 200_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perWriter; i++) {
                    h.recordMillis(1 + i % 100);
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        int reads = 0;
        long lastCount = 0;
        while (threads.stream().anyMatch(Thread::isAlive) || reads == 0) {
            LatencyHistogram.Summary s = h.summary();
            assertTrue(s.count() >= lastCount, "the count never goes back");
            lastCount = s.count();
            reads++;
        }
        for (Thread t : threads) {
            t.join();
        }
        LatencyHistogram.Summary s = h.summary();
        assertEquals((long) writers * perWriter, s.count());
        assertEquals(1.0, s.minMs(), 0.01);
        assertEquals(100.0, s.maxMs(), 0.1);
        assertEquals(50.0, s.p50Ms(), 0.5);
        assertEquals(99.0, s.p99Ms(), 0.5);
    }
}
