package io.keisei.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.Streams;
import io.keisei.testsupport.PackagedService;
import io.keisei.testsupport.TestInfrastructure;
import io.keisei.testsupport.TestServiceCredential;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two resource-service replicas (the packaged jar, run twice) on one PostgreSQL, one Redis and one
 * pool: many clients request and release through both at once, while a sampler checks at every
 * moment it sees that no GPU index is held twice and the pool is never overcommitted; a request
 * queued on one replica starts on its own when a release on the other frees what it needs.
 */
class ReplicaConsistencyIT {

    static final String POOL = "replicas";
    static final Resources CAPACITY = new Resources(4000, 8192, 4);

    static PackagedService first;
    static PackagedService second;
    static PGSimpleDataSource db;

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void startTwoReplicas() {
        Map<String, String> env = new HashMap<>(Map.of(
                "KEISEI_RESOURCES_LOCAL_POOL_NAME", POOL,
                "KEISEI_RESOURCES_LOCAL_CPU_MILLIS", String.valueOf(CAPACITY.cpuMillis()),
                "KEISEI_RESOURCES_LOCAL_MEMORY_MB", String.valueOf(CAPACITY.memoryMb()),
                "KEISEI_RESOURCES_LOCAL_GPU_COUNT", String.valueOf(CAPACITY.gpus()),
                // Every grant must come from a request or a release, not from a periodic pass.
                "KEISEI_RESOURCES_QUEUE_RESCAN_INTERVAL", "off",
                "KEISEI_RESOURCES_GPU_DISCOVERY", "false",
                "KEISEI_RESOURCES_EVENTS_BLOCK", "200ms"));
        for (String role : List.of("ADMIN", "TRAINER", "RESEARCHER", "VIEWER")) {
            env.put("KEISEI_RESOURCES_QUOTAS_" + role + "_CONCURRENT_SESSIONS", "-1");
            env.put("KEISEI_RESOURCES_QUOTAS_" + role + "_GPU_HOURS_PER_DAY", "-1");
        }
        first = PackagedService.start("resource-service", "KEISEI_RESOURCE_PORT", env);
        second = PackagedService.start("resource-service", "KEISEI_RESOURCE_PORT", env);
        TestInfrastructure infra = TestInfrastructure.get();
        db = new PGSimpleDataSource();
        db.setURL(infra.jdbcUrl());
        db.setUser(infra.dbUser());
        db.setPassword(infra.dbPassword());
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
    }

    static URI base(PackagedService s) {
        return URI.create(s.url() + "/");
    }

    @Test
    void twoReplicasNeverHandOutAGpuTwiceNorOvercommitThePool() throws Exception {
        String run = "replicas-" + System.nanoTime() + "-";
        AllocationStorm storm = new AllocationStorm(List.of(base(first), base(second)), POOL);
        AllocationStorm.Outcome outcome;
        try (PoolInvariants invariants = new PoolInvariants(db, POOL, CAPACITY)) {
            outcome = storm.run(run, 32, 8);
            assertThat(outcome.failures()).isEmpty();
            storm.drain();
            invariants.close();
            System.out.printf("two replicas: %d requests, %d queued (%d started while clients waited), %d samples, "
                            + "at most %d granted at once%n", outcome.created().size(), outcome.queued().size(),
                    outcome.startedFromQueue().size(), invariants.samples(), invariants.maxGranted());
            assertThat(invariants.violations()).isEmpty();
            assertThat(invariants.samples()).isGreaterThan(50);
            assertThat(invariants.maxGranted()).isGreaterThan(1);
        }
        assertThat(outcome.created()).hasSize(32 * 8);
        assertThat(outcome.queued()).isNotEmpty();
        assertThat(outcome.startedFromQueue()).isNotEmpty();
        try (Connection c = db.getConnection()) {
            StormVerdict.check(outcome, run, c, events());
        }
        // Both replicas see the same, empty pool.
        for (PackagedService s : List.of(first, second)) {
            JsonNode pool = get(s, "resources/pools/" + POOL);
            assertThat(pool.get("used").get("cpuMillis").asLong()).isZero();
            assertThat(pool.get("freeGpuIndices")).hasSize(4);
        }
    }

    @Test
    void aRequestQueuedOnOneReplicaStartsWhenTheOtherReleasesWhatItNeeds() throws Exception {
        String holder = "hold-" + UUID.randomUUID();
        JsonNode held = post(first, holder, 3500, 4);
        assertThat(held.get("state").asText()).isEqualTo("granted");
        String waiter = "wait-" + UUID.randomUUID();
        JsonNode queued = post(second, waiter, 1000, 2);
        assertThat(queued.get("state").asText()).isEqualTo("queued");
        assertThat(get(first, "allocations/" + queued.get("id").asText()).get("reason").asText())
                .isEqualTo("needs 1 CPU, 0.5 of 4 CPU free; needs 2 GPUs, 0 of 4 free; first in queue");

        delete(first, held.get("id").asText());
        JsonNode started = get(second, "allocations/" + queued.get("id").asText());
        assertThat(started.get("state").asText()).isEqualTo("granted");
        assertThat(started.get("gpuIndices")).hasSize(2);
        assertThat(events().stream().filter(e -> e.session().equals(waiter) && e.type() == EventType.ALLOCATION_GRANTED))
                .hasSize(1);
        delete(second, queued.get("id").asText());
    }

    JsonNode post(PackagedService s, String session, long cpu, int gpus) throws Exception {
        String body = json.writeValueAsString(Map.of("session", session, "owner", "ops", "role", "admin", "priority", 0,
                "pool", POOL, "cpuMillis", cpu, "memoryMb", 1024, "gpus", gpus));
        HttpResponse<String> r = http.send(TestServiceCredential.request(base(s).resolve("allocations"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isIn(201, 202);
        return json.readTree(r.body());
    }

    JsonNode get(PackagedService s, String path) throws Exception {
        HttpResponse<String> r = http.send(TestServiceCredential.request(base(s).resolve(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    void delete(PackagedService s, String id) throws Exception {
        HttpResponse<String> r = http.send(TestServiceCredential.request(base(s).resolve("allocations/" + id)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** Every lifecycle event on keisei:events, read with a plain Redis client (no Quarkus in this test). */
    static List<LifecycleEvent> events() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Redis redis = Redis.createClient(vertx, TestInfrastructure.get().redisUrl());
            Response entries = redis.send(Request.cmd(Command.XRANGE).arg(Streams.EVENTS).arg("-").arg("+"))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            List<LifecycleEvent> out = new ArrayList<>();
            for (Response entry : entries) {
                Response fields = entry.get(1);
                Map<String, String> map = new HashMap<>();
                for (int i = 0; i + 1 < fields.size(); i += 2) {
                    map.put(fields.get(i).toString(), fields.get(i + 1).toString());
                }
                out.add(StreamCodec.fromEntry(map, LifecycleEvent.class));
            }
            redis.close();
            return out;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
