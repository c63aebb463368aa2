package io.keisei.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.testsupport.PackagedService;
import io.keisei.testsupport.TestInfrastructure;
import io.keisei.testsupport.TestServiceCredential;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * "Kill the service between commit and relay; the event still arrives", against the packaged jar and
 * without test hooks: replica A reaches Redis through a proxy that the test cuts, so the grant is
 * committed but its XADD fails; A is then killed (SIGKILL) with the event still in resource.outbox.
 * Replica B, started afterwards on the same database, relays it: allocation.granted arrives, once.
 */
class OutboxCrashIT {

    static final String POOL = "outbox-crash";

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    final ObjectMapper json = new ObjectMapper();

    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>(Map.of(
                "KEISEI_RESOURCES_LOCAL_POOL_NAME", POOL,
                "KEISEI_RESOURCES_LOCAL_CPU_MILLIS", "4000",
                "KEISEI_RESOURCES_LOCAL_MEMORY_MB", "8192",
                "KEISEI_RESOURCES_LOCAL_GPU_COUNT", "0",
                "KEISEI_RESOURCES_QUEUE_RESCAN_INTERVAL", "off",
                "KEISEI_RESOURCES_GPU_DISCOVERY", "false",
                "KEISEI_RESOURCES_SYSTEM_INTERVAL", "off"));
        env.put("KEISEI_RESOURCES_QUOTAS_ADMIN_CONCURRENT_SESSIONS", "-1");
        return env;
    }

    @Test
    void aGrantCommittedByAReplicaKilledBeforeItsXaddReachesTheStreamThroughTheNextReplica() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        URI redis = URI.create(infra.redisUrl());
        String session = "crash-" + UUID.randomUUID();
        PackagedService b = null;
        try (TcpProxy proxy = new TcpProxy(redis.getHost(), redis.getPort())) {
            String proxied = new URI(redis.getScheme(), redis.getUserInfo(), "127.0.0.1", proxy.port(), redis.getPath(),
                    redis.getQuery(), null).toString();
            Map<String, String> envA = env();
            envA.put("KEISEI_REDIS_URL", proxied);
            PackagedService a = PackagedService.start("resource-service", "KEISEI_RESOURCE_PORT", envA);
            try {
                proxy.cut();   // Redis is gone for A from now on
                JsonNode granted = post(a, session);
                assertThat(granted.get("state").asText()).isEqualTo("granted");
                assertThat(outboxRows(infra, session)).as("committed, not relayed").isEqualTo(1);
            } finally {
                ProcessHandle.of(a.pid()).ifPresent(p -> {
                    p.destroyForcibly();
                    p.onExit().orTimeout(30, TimeUnit.SECONDS).join();
                });
                a.close();
            }
            assertThat(ofSession(session)).isEmpty();

            b = PackagedService.start("resource-service", "KEISEI_RESOURCE_PORT", env());
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !ofSession(session).isEmpty());
            Thread.sleep(1500);   // a second copy would come with the next relay pass
            List<LifecycleEvent> events = ofSession(session);
            assertThat(events).extracting(LifecycleEvent::type).containsExactly(EventType.ALLOCATION_GRANTED);
            assertThat(events.get(0).allocation().allocationId()).isEqualTo(granted(b, session));
            assertThat(outboxRows(infra, session)).isZero();
        } finally {
            if (b != null) {
                b.close();
            }
        }
    }

    static List<LifecycleEvent> ofSession(String session) throws Exception {
        return ReplicaConsistencyIT.events().stream().filter(e -> session.equals(e.session())).toList();
    }

    JsonNode post(PackagedService s, String session) throws Exception {
        String body = json.writeValueAsString(Map.of("session", session, "owner", "ops", "role", "admin", "priority", 0,
                "pool", POOL, "cpuMillis", 500, "memoryMb", 512, "gpus", 0));
        HttpResponse<String> r = http.send(TestServiceCredential.request(URI.create(s.url() + "/allocations"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json.readTree(r.body());
    }

    /** The id of the session's live allocation, as B reads it from the database; B then releases it. */
    String granted(PackagedService s, String session) throws Exception {
        HttpResponse<String> r = http.send(TestServiceCredential.request(URI.create(s.url() + "/allocations?session=" + session))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String id = json.readTree(r.body()).get(0).get("id").asText();
        HttpResponse<String> d = http.send(TestServiceCredential.request(URI.create(s.url() + "/allocations/" + id))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(d.statusCode()).as(d.body()).isEqualTo(200);
        return id;
    }

    static long outboxRows(TestInfrastructure infra, String session) throws Exception {
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setURL(infra.jdbcUrl());
        db.setUser(infra.dbUser());
        db.setPassword(infra.dbPassword());
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM resource.outbox WHERE payload LIKE ?")) {
            ps.setString(1, "%" + session + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
