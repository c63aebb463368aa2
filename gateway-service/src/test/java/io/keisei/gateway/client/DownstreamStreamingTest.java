package io.keisei.gateway.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.keisei.gateway.client.DownstreamCredentialTest.ADMIN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Bodies through the downstream client: small answers are read in full, large or open-ended ones streamed with
 * back-pressure (a client that reads slowly holds the service back instead of filling gateway memory; one that goes
 * away makes the gateway let go of the service's connection), and a read that gets no answer in time is a 503 with
 * Retry-After within the bound.
 */
@QuarkusTest
@WithTestResource(DownstreamStreamingTest.StreamingService.class)
class DownstreamStreamingTest {

    static final int MIB = 1024 * 1024;
    /** The big download: its first MiB comes at once, the rest only when the test says so. */
    static final long BIG = 64L * MIB;
    /** The endless download: sent as fast as it is taken. */
    static final long ENDLESS = 512L * MIB;

    /**
     * A service answering downloads of known and unknown length (body byte i is {@code i % 251}), its liveness, and
     * /system/status (after {@link #statusDelayMillis}).
     */
    public static class StreamingService extends KeiseiInfraResource {
        static HttpServer server;
        static volatile CountDownLatch release = new CountDownLatch(0);
        static final AtomicLong written = new AtomicLong();
        static volatile CountDownLatch aborted = new CountDownLatch(1);
        static volatile long statusDelayMillis;
        private static final byte[] PATTERN = new byte[251 * 257];

        static {
            for (int i = 0; i < PATTERN.length; i++) {
                PATTERN[i] = (byte) (i % 251);
            }
        }

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            System.setProperty("sun.net.httpserver.nodelay", "true");
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/q/health/live", ex -> reply(ex, "{\"status\":\"UP\"}"));
            server.createContext("/system/status", ex -> {
                sleep(statusDelayMillis);
                ex.getResponseHeaders().add("ETag", "\"status-1\"");
                reply(ex, "{\"time\":1}");
            });
            server.createContext("/models/", ex -> {
                String name = ex.getRequestURI().getPath().split("/")[2];
                ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
                ex.getResponseHeaders().add("Content-Disposition", "attachment; filename=\"" + name + ".bin\"");
                try (OutputStream out = ex.getResponseBody()) {
                    switch (name) {
                        case "small" -> {
                            ex.sendResponseHeaders(200, 2048);
                            send(out, 0, 2048);
                        }
                        case "chunked-small" -> {
                            ex.sendResponseHeaders(200, 0);
                            send(out, 0, 2048);
                        }
                        case "chunked-3m" -> {
                            ex.sendResponseHeaders(200, 0);
                            send(out, 0, 3L * MIB);
                        }
                        case "sized-2m" -> {
                            ex.sendResponseHeaders(200, 2L * MIB);
                            send(out, 0, 2L * MIB);
                        }
                        case "big" -> {
                            ex.sendResponseHeaders(200, BIG);
                            send(out, 0, MIB);
                            out.flush();
                            CountDownLatch r = release;
                            r.await(60, TimeUnit.SECONDS);
                            send(out, MIB, BIG);
                        }
                        case "endless" -> {
                            ex.sendResponseHeaders(200, ENDLESS);
                            try {
                                send(out, 0, ENDLESS);
                            } catch (IOException e) {
                                aborted.countDown();   // the gateway let go of the connection
                                throw e;
                            }
                        }
                        default -> ex.sendResponseHeaders(404, -1);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            config.put("keisei.gateway.services.training", url);
            config.put("keisei.gateway.services.metrics", url);
            config.put("keisei.gateway.services.resource", url);
            config.put("keisei.gateway.services.timeout", "1s");
            config.put("keisei.gateway.services.slow-timeout", "10s");
            return config;
        }

        private static void send(OutputStream out, long from, long to) throws IOException {
            long pos = from;
            while (pos < to) {
                int phase = (int) (pos % 251);
                int n = (int) Math.min(PATTERN.length - phase, to - pos);
                out.write(PATTERN, phase, n);
                pos += n;
                written.addAndGet(n);
            }
        }

        private static void reply(HttpExchange ex, String json) throws IOException {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    @Inject
    DownstreamClient client;

    @TestHTTPResource("/")
    URL gateway;

    /** Reads a body to its end, checking that byte i is i % 251 from {@code offset} on; returns how many it read. */
    static long readPattern(InputStream in, long offset) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long pos = offset;
        int n;
        while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                if (buf[i] != (byte) ((pos + i) % 251)) {
                    throw new AssertionError("byte " + (pos + i) + " is " + buf[i]);
                }
            }
            pos += n;
        }
        return pos - offset;
    }

    @Test
    void smallAnswersAreReadInFullLargeOrOpenEndedOnesStreamed() throws IOException {
        try (DownstreamResponse r = client.send(Service.TRAINING, "GET", "/models/small/download", null, null, Map.of(), true)) {
            assertThat(r.streamed()).isFalse();
            assertThat(r.header("content-disposition")).isEqualTo("attachment; filename=\"small.bin\"");
            assertThat(readPattern(r.body(), 0)).isEqualTo(2048);
        }
        // Unknown length on a read: read in full, as it ends within the limit.
        try (DownstreamResponse r = client.send(Service.TRAINING, "GET", "/models/chunked-small/download", null, null, Map.of(), false)) {
            assertThat(r.streamed()).isFalse();
            assertThat(readPattern(r.body(), 0)).isEqualTo(2048);
        }
        // Unknown length on a download or export: streamed from the first byte.
        try (DownstreamResponse r = client.send(Service.TRAINING, "GET", "/models/chunked-small/download", null, null, Map.of(), true)) {
            assertThat(r.streamed()).isTrue();
            assertThat(readPattern(r.body(), 0)).isEqualTo(2048);
        }
        // Unknown length on a read that turns out long: streamed on after the first MiB, nothing lost at the switch.
        try (DownstreamResponse r = client.send(Service.TRAINING, "GET", "/models/chunked-3m/download", null, null, Map.of(), false)) {
            assertThat(r.streamed()).isTrue();
            assertThat(readPattern(r.body(), 0)).isEqualTo(3L * MIB);
        }
        try (DownstreamResponse r = client.send(Service.TRAINING, "GET", "/models/sized-2m/download", null, null, Map.of(), false)) {
            assertThat(r.streamed()).isTrue();
            assertThat(readPattern(r.body(), 0)).isEqualTo(2L * MIB);
        }
    }

    @Test
    void aLargeDownloadReachesTheClientBeforeTheServiceHasSentIt() throws Exception {
        StreamingService.release = new CountDownLatch(1);
        try {
            HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway + "api/v1/models/big/download"))
                    .header("Authorization", ADMIN).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"big.bin\"");
            try (InputStream in = r.body()) {
                byte[] first = in.readNBytes(256 * 1024);
                // The service has sent its first MiB and waits: the client has bytes, so the gateway did not wait for the end.
                assertThat(StreamingService.release.getCount()).as("the service still holds back all but its first MiB").isEqualTo(1);
                assertThat(readPattern(new java.io.ByteArrayInputStream(first), 0)).isEqualTo(first.length);
                StreamingService.release.countDown();
                assertThat(first.length + readPattern(in, first.length)).isEqualTo(BIG);
            }
        } finally {
            StreamingService.release.countDown();
        }
    }

    @Test
    void aSlowClientHoldsTheServiceBackAndOneThatLeavesMakesTheGatewayLetGo() throws Exception {
        StreamingService.written.set(0);
        StreamingService.aborted = new CountDownLatch(1);
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(64 * 1024);
            s.connect(new InetSocketAddress(gateway.getHost(), gateway.getPort()), 5_000);
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("GET /api/v1/models/endless/download HTTP/1.1\r\nHost: " + gateway.getHost()
                    + "\r\nAuthorization: " + ADMIN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] start = in.readNBytes(MIB);
            assertThat(new String(start, 0, 12, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
            // Stop reading: once the buffers on the way are full, the service must be held back.
            long before;
            long held = StreamingService.written.get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            do {
                before = held;
                Thread.sleep(1_000);
                held = StreamingService.written.get();
            } while (held != before && System.nanoTime() < deadline);
            assertThat(held).as("bytes the service could send to a client that stopped reading after 1 MiB")
                    .isLessThan(96L * MIB);
            assertThat(StreamingService.aborted.getCount()).isEqualTo(1);
        }
        // The client is gone: the gateway closes the service's connection rather than keep it (and its pool place).
        assertThat(StreamingService.aborted.await(15, TimeUnit.SECONDS)).as("the service saw the gateway let go").isTrue();
        assertThat(StreamingService.written.get()).isLessThan(ENDLESS);
    }

    @Test
    void closingAStreamedAnswerEarlyLetsTheConnectionGo() throws Exception {
        StreamingService.written.set(0);
        StreamingService.aborted = new CountDownLatch(1);
        try (DownstreamResponse r = client.send(Service.TRAINING, "GET", "/models/endless/download", null, null, Map.of(), true)) {
            assertThat(r.streamed()).isTrue();
            assertThat(r.body().readNBytes(64 * 1024)).hasSize(64 * 1024);
        }
        assertThat(StreamingService.aborted.await(15, TimeUnit.SECONDS)).as("the service saw the gateway let go").isTrue();
    }

    @Test
    void aReadThatGetsNoAnswerInTimeIs503WithRetryAfterWithinTheBound() {
        StreamingService.statusDelayMillis = 4_000;
        long t0 = System.nanoTime();
        try {
            given().header("Authorization", ADMIN).get("/api/v1/system/status").then().statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", DownstreamUnavailableTest.gatewayRetryAfter())
                    .body("detail", containsString("did not answer within 1000 ms"));
        } finally {
            StreamingService.statusDelayMillis = 0;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(millis).as("answered at the 1 s bound, not when the service did").isBetween(900L, 3_000L);
        // The service answers its liveness, so it is not taken for stalled: the next read goes through, headers and all.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().header("Authorization", ADMIN).get("/api/v1/system/status").then().statusCode(200)
                        .header("ETag", "\"status-1\"")
                        .body("time", equalTo(1)));
    }
}
