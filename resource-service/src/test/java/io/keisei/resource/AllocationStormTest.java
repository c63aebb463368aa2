package io.keisei.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.Streams;
import io.keisei.resource.service.AllocationQueries;
import io.keisei.resource.service.AllocationService;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many clients at once over HTTP against the small pool (4000m, 8192 MiB, 4 GPUs): 40 threads
 * request allocations of random sizes and priorities; a granted one is held a moment and released,
 * a queued one is mostly waited for until it starts on its own (then held and released), sometimes
 * cancelled, and in each client's last round left queued. A sampler checks, at every moment it sees, that grants stay
 * within capacity and no GPU index is held twice. At the end everything granted is released until
 * nothing is live: every request that was not cancelled must have been granted, and every grant
 * and release must have been announced.
 */
@QuarkusTest
@TestProfile(SmallPoolProfile.class)
@WithTestResource(KeiseiInfraResource.class)
class AllocationStormTest {

    static final int THREADS = 40;
    static final int ROUNDS = 8;

    @TestHTTPResource("/allocations")
    URI allocations;
    @Inject
    AllocationService service;
    @Inject
    AllocationQueries queries;
    @Inject
    AgroalDataSource db;
    @Inject
    RedisDataSource redis;
    @Inject
    ObjectMapper json;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void emptyPool() throws Exception {
        PoolCleaner.empty(service, queries);
    }

    @Test
    void grantsNeverExceedThePoolAndEveryQueuedRequestIsEventuallyGranted() throws Exception {
        String run = "storm-" + System.nanoTime() + "-";
        Set<String> created = ConcurrentHashMap.newKeySet();
        Set<String> queued = ConcurrentHashMap.newKeySet();
        Set<String> cancelled = ConcurrentHashMap.newKeySet();
        Set<String> startedFromQueue = ConcurrentHashMap.newKeySet();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch lastRound = new CountDownLatch(THREADS);
        try (PoolInvariants invariants = new PoolInvariants(db, SmallPoolProfile.POOL)) {
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                pool.submit(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < ROUNDS; i++) {
                            if (i == ROUNDS - 1) {
                                // Requests left queued hold the pool once granted: only when every client is done.
                                lastRound.countDown();
                                lastRound.await();
                            }
                            round(run + thread + "-" + i, i == ROUNDS - 1, created, queued, cancelled, startedFromQueue, failures);
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                    return null;
                });
            }
            start.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(3, TimeUnit.MINUTES)).isTrue();
            assertThat(failures).isEmpty();

            drain();
            invariants.close();
            System.out.printf("storm: %d requests, %d queued (%d started while clients waited, %d cancelled), %d samples, "
                            + "at most %d granted at once, max %dm CPU%n", created.size(), queued.size(), startedFromQueue.size(),
                    cancelled.size(), invariants.samples(), invariants.maxGranted(), invariants.maxCpu());
            assertThat(invariants.violations()).isEmpty();
            assertThat(invariants.samples()).isGreaterThan(50);
            assertThat(invariants.maxGranted()).isGreaterThan(1);
        }

        assertThat(created).hasSize(THREADS * ROUNDS);
        assertThat(queued).as("the storm must make requests wait").isNotEmpty();
        assertThat(startedFromQueue).as("queued requests must start on their own while others are released").isNotEmpty();
        // All are released now, and every request that was not cancelled while queued was granted at some point.
        Set<String> everGranted = new HashSet<>();
        try (var c = db.getConnection();
             var ps = c.prepareStatement("SELECT id, state, granted_at IS NOT NULL FROM resource.allocations WHERE session LIKE ?")) {
            ps.setString(1, run + "%");
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    assertThat(rs.getString(2)).as("state of %s", id).isEqualTo("released");
                    if (rs.getBoolean(3)) {
                        everGranted.add(id);
                    } else {
                        assertThat(cancelled).as("%s was never granted but not cancelled", id).contains(id);
                    }
                }
            }
        }
        assertThat(everGranted).hasSizeGreaterThanOrEqualTo(created.size() - cancelled.size());
        // Every grant and every release was announced on keisei:events.
        Set<String> grantedEvents = new HashSet<>();
        Set<String> releasedEvents = new HashSet<>();
        for (StreamMessage<String, String, String> m : redis.stream(String.class).xrange(Streams.EVENTS, StreamRange.of("-", "+"))) {
            LifecycleEvent e = StreamCodec.fromEntry(m.payload(), LifecycleEvent.class);
            if (e.session().startsWith(run)) {
                if (e.type() == EventType.ALLOCATION_GRANTED) {
                    grantedEvents.add(e.allocation().allocationId());
                } else if (e.type() == EventType.ALLOCATION_RELEASED) {
                    releasedEvents.add(e.allocation().allocationId());
                }
            }
        }
        assertThat(grantedEvents).isEqualTo(everGranted);
        assertThat(releasedEvents).isEqualTo(created);
    }

    /**
     * One client request: a granted allocation is held a moment and released; a queued one is
     * usually waited for (as training-service does) then held and released, sometimes cancelled,
     * sometimes left waiting for the drain.
     */
    private void round(String session, boolean last, Set<String> created, Set<String> queued, Set<String> cancelled,
                       Set<String> startedFromQueue, List<String> failures) throws Exception {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        Map<String, Object> body = Map.of("session", session, "owner", "storm", "role", "trainer",
                "priority", r.nextInt(0, 1001), "cpuMillis", new long[]{500, 1000, 1500, 2000}[r.nextInt(4)],
                "memoryMb", new long[]{512, 1024, 2048, 4096}[r.nextInt(4)], "gpus", new int[]{0, 0, 1, 2}[r.nextInt(4)]);
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(allocations).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 201 && res.statusCode() != 202) {
            failures.add("POST " + res.statusCode() + " " + res.body());
            return;
        }
        JsonNode a = json.readTree(res.body());
        String id = a.get("id").asText();
        created.add(id);
        if (res.statusCode() == 202) {
            if (!"queued".equals(a.get("state").asText()) || a.get("queuePosition").asInt() < 1 || a.get("reason").asText().isEmpty()) {
                failures.add("bad queued answer " + res.body());
            }
            queued.add(id);
            if (last) {
                return; // left queued: the drain must start it
            }
            if (r.nextInt(10) == 0 || !awaitGranted(id, failures)) {
                release(id, cancelled, failures); // cancelled (or, if it just started, released)
                return;
            }
            startedFromQueue.add(id);
        } else if (a.get("gpuIndices").size() != a.get("gpus").asInt()) {
            failures.add("granted without its GPUs: " + res.body());
        }
        Thread.sleep(r.nextInt(0, 10));
        release(id, cancelled, failures);
    }

    private boolean awaitGranted(String id, List<String> failures) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(allocations.resolve("allocations/" + id)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode a = json.readTree(res.body());
            if (res.statusCode() != 200) {
                failures.add("GET " + res.statusCode() + " " + res.body());
                return false;
            }
            if ("granted".equals(a.get("state").asText())) {
                if (a.get("gpuIndices").size() != a.get("gpus").asInt()) {
                    failures.add("granted without its GPUs: " + res.body());
                }
                return true;
            }
            Thread.sleep(25);
        }
        return false;
    }

    /** Releases; one released before it was ever granted counts as cancelled. */
    private void release(String id, Set<String> cancelled, List<String> failures) throws Exception {
        HttpResponse<String> del = http.send(HttpRequest.newBuilder(allocations.resolve("allocations/" + id)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode a = json.readTree(del.body());
        if (del.statusCode() != 200 || !"released".equals(a.path("state").asText())) {
            failures.add("DELETE " + del.statusCode() + " " + del.body());
        } else if (a.path("grantedAt").isNull()) {
            cancelled.add(id);
        }
    }

    /** Releases what is granted until nothing is live: each release must start queued requests. */
    private void drain() throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create(allocations + "?pool=" + SmallPoolProfile.POOL
                    + "&limit=1000")).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode list = json.readTree(live.body());
            if (list.isEmpty()) {
                return;
            }
            boolean released = false;
            for (JsonNode a : list) {
                if ("granted".equals(a.get("state").asText())) {
                    http.send(HttpRequest.newBuilder(allocations.resolve("allocations/" + a.get("id").asText())).DELETE().build(),
                            HttpResponse.BodyHandlers.ofString());
                    released = true;
                }
            }
            assertThat(released).as("queued requests but nothing granted: the queue is stuck: " + live.body()).isTrue();
        }
        throw new AssertionError("the pool did not drain in time");
    }
}
