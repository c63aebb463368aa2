package io.keisei.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.testsupport.TestServiceCredential;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Many HTTP clients at once against one or more resource-service replicas sharing a pool: each
 * client requests allocations of random sizes and priorities (through a random replica); a
 * granted one is held a moment and released; a queued one is mostly waited for (polling any
 * replica) until it starts on its own, then held and released, sometimes cancelled, and in each
 * client's last round left queued for {@link #drain()}.
 */
public final class AllocationStorm {

    /** What the clients saw. */
    public record Outcome(Set<String> created, Set<String> queued, Set<String> cancelled, Set<String> startedFromQueue,
                          List<String> failures) {
    }

    private final List<URI> replicas;
    private final String pool;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** @param replicas base URIs of the replicas, e.g. http://127.0.0.1:8083/ */
    public AllocationStorm(List<URI> replicas, String pool) {
        this.replicas = List.copyOf(replicas);
        this.pool = pool;
    }

    public Outcome run(String runPrefix, int threads, int rounds) throws InterruptedException {
        Outcome out = new Outcome(ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet(),
                ConcurrentHashMap.newKeySet(), Collections.synchronizedList(new ArrayList<>()));
        ExecutorService clients = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch lastRound = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            clients.submit(() -> {
                try {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        if (i == rounds - 1) {
                            // Requests left queued hold the pool once granted: only when every client is done.
                            lastRound.countDown();
                            lastRound.await();
                        }
                        round(runPrefix + thread + "-" + i, i == rounds - 1, out);
                    }
                } catch (Exception e) {
                    out.failures().add(e.toString());
                }
                return null;
            });
        }
        start.countDown();
        clients.shutdown();
        if (!clients.awaitTermination(4, TimeUnit.MINUTES)) {
            out.failures().add("the clients did not finish in time");
        }
        return out;
    }

    private URI any() {
        return replicas.get(ThreadLocalRandom.current().nextInt(replicas.size()));
    }

    private void round(String session, boolean last, Outcome out) throws Exception {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        Map<String, Object> body = Map.of("session", session, "owner", "storm", "role", "trainer", "pool", pool,
                "priority", r.nextInt(0, 1001), "cpuMillis", new long[]{500, 1000, 1500, 2000}[r.nextInt(4)],
                "memoryMb", new long[]{512, 1024, 2048, 4096}[r.nextInt(4)], "gpus", new int[]{0, 0, 1, 2}[r.nextInt(4)]);
        HttpResponse<String> res = http.send(TestServiceCredential.request(any().resolve("allocations"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 201 && res.statusCode() != 202) {
            out.failures().add("POST " + res.statusCode() + " " + res.body());
            return;
        }
        JsonNode a = json.readTree(res.body());
        String id = a.get("id").asText();
        out.created().add(id);
        if (res.statusCode() == 202) {
            if (!"queued".equals(a.get("state").asText()) || a.get("queuePosition").asInt() < 1 || a.get("reason").asText().isEmpty()) {
                out.failures().add("bad queued answer " + res.body());
            }
            out.queued().add(id);
            if (last) {
                return; // left queued: the drain must start it
            }
            if (r.nextInt(10) == 0 || !awaitGranted(id, out.failures())) {
                release(id, out); // cancelled (or, if it just started, released)
                return;
            }
            out.startedFromQueue().add(id);
        } else if (a.get("gpuIndices").size() != a.get("gpus").asInt()) {
            out.failures().add("granted without its GPUs: " + res.body());
        }
        Thread.sleep(r.nextInt(0, 10));
        release(id, out);
    }

    private boolean awaitGranted(String id, List<String> failures) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> res = http.send(TestServiceCredential.request(any().resolve("allocations/" + id)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) {
                failures.add("GET " + res.statusCode() + " " + res.body());
                return false;
            }
            JsonNode a = json.readTree(res.body());
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
    private void release(String id, Outcome out) throws Exception {
        HttpResponse<String> del = http.send(TestServiceCredential.request(any().resolve("allocations/" + id)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode a = json.readTree(del.body());
        if (del.statusCode() != 200 || !"released".equals(a.path("state").asText())) {
            out.failures().add("DELETE " + del.statusCode() + " " + del.body());
        } else if (a.path("grantedAt").isNull()) {
            out.cancelled().add(id);
        }
    }

    /**
     * Releases what is granted until nothing is live: each release must start queued requests by
     * itself (no periodic pass), or the queue is stuck.
     */
    public void drain() throws Exception {
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> live = http.send(TestServiceCredential.request(any().resolve("allocations?pool=" + pool + "&limit=1000"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode list = json.readTree(live.body());
            if (list.isEmpty()) {
                return;
            }
            boolean released = false;
            for (JsonNode a : list) {
                if ("granted".equals(a.get("state").asText())) {
                    http.send(TestServiceCredential.request(any().resolve("allocations/" + a.get("id").asText())).DELETE().build(),
                            HttpResponse.BodyHandlers.ofString());
                    released = true;
                }
            }
            if (!released) {
                throw new AssertionError("queued requests but nothing granted: the queue is stuck: " + live.body());
            }
        }
        throw new AssertionError("the pool did not drain in time");
    }
}
