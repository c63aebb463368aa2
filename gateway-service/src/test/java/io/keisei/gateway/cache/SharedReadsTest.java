package io.keisei.gateway.cache;

import io.keisei.gateway.client.DownstreamResponse;
import io.keisei.gateway.client.Service;
import io.keisei.common.rest.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Identical live reads share one downstream call and, briefly, one answer; writes and errors are never served stale. */
class SharedReadsTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(24);
    private final AtomicInteger calls = new AtomicInteger();
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private SharedReads reads(Duration ttl) {
        return new SharedReads(ttl, 262_144, 1 << 20, registry);
    }

    /** Callers that found a call of the same read in flight (or its answer) and took its answer instead of calling. */
    private long sharing() {
        return (long) registry.get("keisei_gateway_shared_reads_total").tag("result", "shared").counter().count();
    }

    private Supplier<DownstreamResponse> answering(int status, CountDownLatch gate) {
        return () -> {
            int n = calls.incrementAndGet();
            try {
                if (gate != null && !gate.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = ("{\"call\":" + n + "}").getBytes(StandardCharsets.UTF_8);
            Map<String, List<String>> headers = Map.of("Content-Type", List.of("application/json"));
            return DownstreamResponse.streamed(status, headers, new ByteArrayInputStream(body));
        };
    }

    private static String body(Response r) {
        return new String((byte[]) r.getEntity(), StandardCharsets.UTF_8);
    }

    @Test
    void concurrentIdenticalReadsMakeOneCallAndAllGetItsAnswer() throws Exception {
        SharedReads reads = reads(Duration.ofSeconds(30));
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<Response>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(pool.submit(() -> reads.get(Service.TRAINING, "/sessions?size=20", answering(200, gate))));
        }
        // One caller is in the downstream call, held by the gate; the 19 others have joined it.
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 1 && sharing() == 19);
        gate.countDown();
        for (Future<Response> f : answers) {
            Response r = f.get(10, TimeUnit.SECONDS);
            assertThat(r.getStatus()).isEqualTo(200);
            assertThat(body(r)).isEqualTo("{\"call\":1}");
            assertThat(r.getHeaderString("Content-Type")).isEqualTo("application/json");
        }
        assertThat(calls).hasValue(1);
        // Within the window the answer is reused; another query is another read.
        assertThat(body(reads.get(Service.TRAINING, "/sessions?size=20", answering(200, null)))).isEqualTo("{\"call\":1}");
        assertThat(body(reads.get(Service.TRAINING, "/sessions?size=50", answering(200, null)))).isEqualTo("{\"call\":2}");
        assertThat(body(reads.get(Service.METRICS, "/sessions?size=20", answering(200, null)))).isEqualTo("{\"call\":3}");
    }

    @Test
    void anAnswerIsReusedOnlyForTheWindow() throws Exception {
        SharedReads reads = reads(Duration.ofSeconds(2));
        assertThat(body(reads.get(Service.METRICS, "/h", answering(200, null)))).isEqualTo("{\"call\":1}");
        assertThat(body(reads.get(Service.METRICS, "/h", answering(200, null)))).isEqualTo("{\"call\":1}");
        Thread.sleep(3000);
        assertThat(body(reads.get(Service.METRICS, "/h", answering(200, null)))).isEqualTo("{\"call\":2}");
    }

    @Test
    void errorsAndNon200AnswersAreNeverReused() {
        SharedReads reads = reads(Duration.ofSeconds(30));
        assertThat(reads.get(Service.TRAINING, "/sessions/x", answering(404, null)).getStatus()).isEqualTo(404);
        assertThat(reads.get(Service.TRAINING, "/sessions/x", answering(404, null)).getStatus()).isEqualTo(404);
        assertThat(calls).hasValue(2);
        Supplier<DownstreamResponse> down = () -> {
            calls.incrementAndGet();
            throw new ProblemException(503, "Service Unavailable", "training-service is unreachable", null, null, 5);
        };
        assertThatThrownBy(() -> reads.get(Service.TRAINING, "/sessions", down)).isInstanceOf(ProblemException.class);
        assertThat(body(reads.get(Service.TRAINING, "/sessions", answering(200, null)))).isEqualTo("{\"call\":4}");
    }

    @Test
    void aDropDuringACallServesTheWaitingCallersButKeepsNothing() throws Exception {
        SharedReads reads = reads(Duration.ofSeconds(30));
        CountDownLatch gate = new CountDownLatch(1);
        Future<Response> first = pool.submit(() -> reads.get(Service.TRAINING, "/models", answering(200, gate)));
        // The first caller is in the downstream call (held by the gate) ...
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 1);
        Future<Response> waiter = pool.submit(() -> reads.get(Service.TRAINING, "/models", answering(200, null)));
        // ... and the second has joined it, before the drop.
        await().atMost(Duration.ofSeconds(10)).until(() -> sharing() == 1);
        reads.invalidateAll();
        gate.countDown();
        assertThat(body(first.get(10, TimeUnit.SECONDS))).isEqualTo("{\"call\":1}");
        assertThat(body(waiter.get(10, TimeUnit.SECONDS))).isEqualTo("{\"call\":1}");
        assertThat(body(reads.get(Service.TRAINING, "/models", answering(200, null)))).as("read after the drop").isEqualTo("{\"call\":2}");
    }

    @Test
    void aZeroWindowTurnsSharingOff() {
        SharedReads reads = reads(Duration.ZERO);
        reads.get(Service.RESOURCE, "/allocations", answering(200, null));
        reads.get(Service.RESOURCE, "/allocations", answering(200, null));
        assertThat(calls).hasValue(2);
    }
}
