package io.keisei.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.Streams;
import io.keisei.infra.FreePorts;
import io.keisei.testsupport.PackagedService;
import io.keisei.testsupport.TestInfrastructure;
import io.keisei.testsupport.TestServiceCredential;
import io.keisei.training.launcher.KubernetesJobLauncher;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two packaged training-service processes (replicas "A" and "B") with trainers as Kubernetes Jobs
 * ({@code keisei.training.launcher=kubernetes}) against the fabric8 mock API server in CRUD mode, on one real
 * PostgreSQL and Redis, with a real resource-service for the allocations. Sessions are created and started through
 * both replicas' APIs (a command works at any replica); the test plays the trainers (their Job status, their
 * "session.started" report and heartbeat). Then A is SIGKILLed: within 30 s B owns every session A owned under a
 * higher epoch and has re-attached their Jobs (completing a Job completes its session through B), no Job was
 * created twice, and a sampler that reads the ownership every few milliseconds through the whole run never sees a
 * session move away from a replica whose lease was still valid, nor one epoch with two owners.
 * (docs/training-orchestrator.md, "Replicas, leases and fencing"; docs/deploy.md, "Scaling with kubectl".)
 */
class TrainingReplicasIT {

    static final String NS = "keisei-replicas";
    static final int SESSIONS = 6;
    static final Duration LEASE = Duration.ofSeconds(6);
    static final String CONFIG = """
            {"training": {"total_timesteps": 5000000, "steps_per_epoch": 64, "minibatch_size": 32, "ppo_epochs": 1,
                          "tower_width": 16, "tower_depth": 1}, "evaluation": {"enable_periodic_evaluation": false}}""";
    static final Path LOGS = Path.of("target", "training-replicas-it");

    static KubernetesMockServer server;
    static KubernetesClient k8s;
    static PackagedService resources;
    static PackagedService a;
    static PackagedService b;
    static PGSimpleDataSource db;
    static Vertx vertx;
    static Redis redis;
    /** Held, so that its level stays: the mock server logs every request at INFO. */
    static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        db = new PGSimpleDataSource();
        db.setURL(infra.jdbcUrl());
        db.setUser(infra.dbUser());
        db.setPassword(infra.dbPassword());
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, infra.redisUrl());

        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        k8s = server.createClient();
        Files.createDirectories(LOGS);
        // One data directory for both replicas, as the training-data claim is in a cluster.
        Path data = Files.createDirectories(LOGS.resolve("data")).toAbsolutePath();

        Map<String, String> resourceEnv = new HashMap<>(Map.of(
                "KEISEI_RESOURCES_LOCAL_CPU_MILLIS", "32000",
                "KEISEI_RESOURCES_LOCAL_MEMORY_MB", "131072",
                "KEISEI_RESOURCES_LOCAL_GPU_COUNT", "0",
                "KEISEI_RESOURCES_GPU_DISCOVERY", "false"));
        for (String role : List.of("ADMIN", "TRAINER", "RESEARCHER")) {
            resourceEnv.put("KEISEI_RESOURCES_QUOTAS_" + role + "_CONCURRENT_SESSIONS", "-1");
            resourceEnv.put("KEISEI_RESOURCES_QUOTAS_" + role + "_GPU_HOURS_PER_DAY", "-1");
        }
        // resource-service and A start together (A migrates the schema), then B.
        int resourcePort = FreePorts.pick();
        CompletableFuture<PackagedService> rs = CompletableFuture.supplyAsync(() -> PackagedService.of("resource-service")
                .port("KEISEI_RESOURCE_PORT", resourcePort).infrastructure(infra).withoutInheritedKeiseiEnv().env(resourceEnv)
                .log(LOGS.resolve("resource-service.log")).start());
        CompletableFuture<PackagedService> first = CompletableFuture.supplyAsync(
                () -> replica("A", data, "http://127.0.0.1:" + resourcePort));
        try {
            resources = rs.join();
            a = first.join();
        } catch (RuntimeException e) {
            first.thenAccept(PackagedService::close);
            rs.thenAccept(PackagedService::close);
            throw e;
        }
        b = replica("B", data, resources.url());
    }

    static PackagedService replica(String name, Path data, String resourceUrl) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KEISEI_REPLICA_NAME", name);
        env.put("KEISEI_REPLICA_LEASE_DURATION", LEASE.toSeconds() + "s");
        env.put("KEISEI_REPLICA_RENEW_EVERY", "1s");
        env.put("KEISEI_REPLICA_TAKEOVER_EVERY", "1s");
        env.put("KEISEI_TRAINING_LAUNCHER", "kubernetes");
        env.put("KEISEI_NAMESPACE", NS);
        env.put("KEISEI_TRAINER_IMAGE", "registry.example.com/keisei/shogi-trainer:0.1.0");
        env.put("KEISEI_TRAINER_CLAIM", "training-data");
        env.put("KEISEI_RESOURCE_URL", resourceUrl);
        env.put("KEISEI_DATA_DIR", data.toString());
        env.put("KEISEI_LOG_JSON", "false");
        // The fabric8 client of the packaged app: the mock API server, never a kubeconfig or a service account.
        env.put("KUBERNETES_MASTER", k8s.getConfiguration().getMasterUrl());
        env.put("KUBERNETES_NAMESPACE", NS);
        env.put("KUBERNETES_TRUST_CERTIFICATES", "true");
        env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
        env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
        return PackagedService.of("training-service").port("KEISEI_TRAINING_PORT")
                .infrastructure(TestInfrastructure.get()).withoutInheritedKeiseiEnv().env(env)
                .log(LOGS.resolve("training-service-" + name + ".log")).start();
    }

    @AfterAll
    static void stop() throws Exception {
        for (PackagedService s : new PackagedService[]{b, a, resources}) {
            if (s != null) {
                s.close();
            }
        }
        if (k8s != null) {
            k8s.close();
        }
        if (server != null) {
            server.destroy();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void killingOneReplicaHandsItsSessionsToTheOtherWithinTheLeaseAndNoSessionIsSupervisedTwice() throws Exception {
        // Every Job ever created in the namespace, by name, with the uid of each creation.
        Map<String, Set<String>> created = new ConcurrentHashMap<>();
        List<String> deleted = new CopyOnWriteArrayList<>();
        Watch jobs = k8s.batch().v1().jobs().inNamespace(NS).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Job job) {
                String name = job.getMetadata().getName();
                if (action == Action.ADDED) {
                    created.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet()).add(job.getMetadata().getUid());
                } else if (action == Action.DELETED) {
                    deleted.add(name);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        });
        try (OwnershipSampler sampler = new OwnershipSampler()) {
            // Created through one replica, started through the other: commands work at any replica.
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                PackagedService createdAt = i % 2 == 0 ? b : a;
                PackagedService startedAt = i % 2 == 0 ? a : b;
                String id = create(createdAt, "replicas-" + i);
                sampler.watch(id);
                JsonNode started = post(startedAt, "sessions/" + id + "/start");
                assertThat(started.get("state").asText()).as(id).isIn("starting", "running");
                ids.add(id);
            }
            // One Job per session, and each session has one owner: the replica that launched it.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (String id : ids) {
                    assertThat(job(id)).as("Job of " + id).isNotNull();
                }
            });
            String replicaA = replicaId("A");
            String replicaB = replicaId("B");
            Map<String, Owner> before = owners(ids);
            assertThat(before.values()).allSatisfy(o -> assertThat(o.replica()).isIn(replicaA, replicaB));
            List<String> ofA = ids.stream().filter(id -> before.get(id).replica().equals(replicaA)).toList();
            List<String> ofB = ids.stream().filter(id -> before.get(id).replica().equals(replicaB)).toList();
            assertThat(ofA).as("sessions A launched").isNotEmpty();
            assertThat(ofB).as("sessions B launched").isNotEmpty();

            // The trainers run: they report that they started, and keep their heartbeat.
            for (String id : ids) {
                redis("SET", Streams.heartbeat(id), "1", "EX", "600");
                publish(LifecycleEvent.of(EventType.SESSION_STARTED, id, 1, "trainer", "running", null));
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (String id : ids) {
                    assertThat(state(b, id)).as(id).isEqualTo("running");
                }
            });
            // Nobody took anything over while both replicas lived.
            assertThat(owners(ids)).isEqualTo(before);

            // A dies without releasing its lease.
            long killed = System.nanoTime();
            assertThat(a.kill()).isEqualTo(137);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                Map<String, Owner> now = owners(ofA);
                for (String id : ofA) {
                    assertThat(now.get(id).replica()).as(id).isEqualTo(replicaB);
                    assertThat(now.get(id).epoch()).as(id).isGreaterThan(before.get(id).epoch());
                }
                for (String id : ofA) {
                    assertThat(countIn(b.log(), "session " + id + " attempt 1: re-attached to its trainer")).as(id).isEqualTo(1);
                }
            });
            Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
            // Re-attached, not relaunched or failed: the same attempt runs on, B's own sessions were never touched.
            for (String id : ids) {
                assertThat(state(b, id)).as(id).isEqualTo("running");
                assertThat(attempts(id)).as(id).isEqualTo(1);
            }
            assertThat(owners(ofB)).isEqualTo(ofB.stream().collect(Collectors.toMap(id -> id, before::get)));
            for (String id : ofB) {
                assertThat(countIn(b.log(), "session " + id + " attempt 1: re-attached")).as(id).isZero();
            }
            assertThat(deleted).as("no trainer was ended").isEmpty();

            // Every trainer finishes: B, watching all the Jobs now, completes every session and releases its allocation.
            for (String id : ids) {
                String name = KubernetesJobLauncher.jobName(id, 1);
                k8s.batch().v1().jobs().inNamespace(NS).withName(name).edit(j -> {
                    j.setStatus(new JobStatusBuilder().withSucceeded(1).build());
                    return j;
                });
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (String id : ids) {
                    assertThat(state(b, id)).as(id).isEqualTo("completed");
                    assertThat(job(id)).as("finished Job of " + id + " is deleted").isNull();
                }
            });
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(get(resources, "resources/pools/local").get("used").get("cpuMillis").asLong()).isZero());

            sampler.close();
            jobs.close();
            // No Job was created twice (a relaunch would be a new uid), and there were no others.
            assertThat(created.keySet()).containsExactlyInAnyOrderElementsOf(
                    ids.stream().map(id -> KubernetesJobLauncher.jobName(id, 1)).toList());
            assertThat(created.values()).allSatisfy(uids -> assertThat(uids).hasSize(1));
            // Ownership over the whole run: one owner per epoch, moved only away from an expired lease, and only A's
            // sessions changed hands (to B, once).
            assertThat(sampler.violations()).isEmpty();
            assertThat(sampler.samples()).isGreaterThan(100);
            for (String id : ofA) {
                assertThat(sampler.ownersOf(id)).as(id).containsExactly(replicaA, replicaB);
            }
            for (String id : ofB) {
                assertThat(sampler.ownersOf(id)).as(id).containsExactly(replicaB);
            }
            // B never had to refuse an act on a session it no longer owned: nothing else acted on them.
            assertThat(countIn(b.log(), "no longer owns it")).isZero();
            System.out.printf("two training-service replicas: %d sessions (%d of A), A SIGKILLed, B owned them all after %d ms "
                            + "(lease %d s); %d ownership samples%n", ids.size(), ofA.size(), takeover.toMillis(),
                    LEASE.toSeconds(), sampler.samples());
            assertThat(takeover).as("takeover within 30 s").isLessThan(Duration.ofSeconds(30));

            // B stops cleanly (SIGTERM) and releases its lease at once: a next replica would not wait for it to expire.
            b.close();
            assertThat(b.isAlive()).isFalse();
            try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                    "SELECT expires_at <= clock_timestamp() FROM training.replicas WHERE id = ?")) {
                st.setString(1, replicaB);
                try (ResultSet rs = st.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getBoolean(1)).as("B's lease released on shutdown").isTrue();
                }
            }
        } finally {
            jobs.close();
        }
    }

    Job job(String session) {
        return k8s.batch().v1().jobs().inNamespace(NS).withName(KubernetesJobLauncher.jobName(session, 1)).get();
    }

    String create(PackagedService s, String name) throws Exception {
        String body = "{\"name\":\"" + name + "\",\"owner\":\"alice\",\"ownerRole\":\"admin\",\"template\":\"quick-cpu\","
                + "\"config\":" + CONFIG + "}";
        HttpResponse<String> r = http.send(TestServiceCredential.request(URI.create(s.url() + "/sessions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json.readTree(r.body()).get("id").asText();
    }

    JsonNode post(PackagedService s, String path) throws Exception {
        HttpResponse<String> r = http.send(TestServiceCredential.request(URI.create(s.url() + "/" + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    JsonNode get(PackagedService s, String path) throws Exception {
        HttpResponse<String> r = http.send(TestServiceCredential.request(URI.create(s.url() + "/" + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    String state(PackagedService s, String id) throws Exception {
        return get(s, "sessions/" + id).get("state").asText();
    }

    static void publish(LifecycleEvent event) throws Exception {
        List<String> args = new ArrayList<>(List.of("XADD", Streams.EVENTS, "*"));
        StreamCodec.toEntry(event).forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        redis(args.toArray(String[]::new));
    }

    static void redis(String... command) throws Exception {
        Request r = Request.cmd(Command.create(command[0]));
        for (int i = 1; i < command.length; i++) {
            r.arg(command[i]);
        }
        redis.send(r).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The current lease id of the replica named {@code name} (ids are the name plus a random suffix). */
    static String replicaId(String name) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT id FROM training.replicas WHERE host = ? AND expires_at > clock_timestamp()")) {
            st.setString(1, name);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            assertThat(ids).as("live leases of replica " + name).hasSize(1);
            return ids.get(0);
        }
    }

    record Owner(String replica, long epoch) {
    }

    static Map<String, Owner> owners(List<String> ids) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT id, owner_replica, owner_epoch FROM training.sessions WHERE id = ANY (?)")) {
            st.setArray(1, c.createArrayOf("text", ids.toArray()));
            Map<String, Owner> out = new HashMap<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Owner(rs.getString(2), rs.getLong(3)));
                }
            }
            return out;
        }
    }

    static int attempts(String id) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT attempt_count, (SELECT count(*) FROM training.attempts a WHERE a.session_id = s.id) "
                        + "FROM training.sessions s WHERE s.id = ?")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(2)).as("attempt rows of " + id).isEqualTo(rs.getInt(1));
                return rs.getInt(1);
            }
        }
    }

    static int countIn(Path log, String text) throws Exception {
        Matcher m = Pattern.compile(Pattern.quote(text)).matcher(Files.readString(log));
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /**
     * Reads the ownership of the watched sessions and the replicas' leases every few milliseconds, by the database's
     * clock, and records any moment where the fencing rules are broken: an epoch that goes back or names two owners,
     * an owner change away from a replica whose lease was still valid when the change was seen (an expired lease is
     * never renewed, so a lease still valid later was valid then), a live session without owner.
     */
    static final class OwnershipSampler implements AutoCloseable {
        private final Set<String> sessions = ConcurrentHashMap.newKeySet();
        private final Map<String, Owner> last = new HashMap<>();
        private final Map<String, Map<Long, String>> epochs = new HashMap<>();
        private final Map<String, LinkedHashSet<String>> owners = new ConcurrentHashMap<>();
        private final List<String> violations = new CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile int samples;
        private volatile Throwable failure;

        OwnershipSampler() {
            thread = new Thread(this::run, "ownership-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void watch(String session) {
            sessions.add(session);
        }

        private void run() {
            try (Connection c = db.getConnection()) {
                while (running) {
                    sample(c);
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                failure = t;
            }
        }

        private void sample(Connection c) throws Exception {
            List<String> ids = List.copyOf(sessions);
            if (ids.isEmpty()) {
                return;
            }
            record Row(String id, String owner, long epoch, String state, Timestamp now) {
            }
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT id, owner_replica, owner_epoch, state, clock_timestamp() "
                    + "FROM training.sessions WHERE id = ANY (?)")) {
                st.setArray(1, c.createArrayOf("text", ids.toArray()));
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Row(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getTimestamp(5)));
                    }
                }
            }
            Map<String, Timestamp> expires = new HashMap<>();
            try (PreparedStatement st = c.prepareStatement("SELECT id, expires_at FROM training.replicas");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    expires.put(rs.getString(1), rs.getTimestamp(2));
                }
            }
            for (Row r : rows) {
                boolean live = Set.of("starting", "running", "pausing", "stopping").contains(r.state());
                if (live && r.owner() == null) {
                    violations.add(r.id() + " is " + r.state() + " without an owner at " + r.now());
                }
                if (r.owner() == null) {
                    continue;
                }
                owners.computeIfAbsent(r.id(), k -> new LinkedHashSet<>()).add(r.owner());
                String other = epochs.computeIfAbsent(r.id(), k -> new HashMap<>()).putIfAbsent(r.epoch(), r.owner());
                if (other != null && !other.equals(r.owner())) {
                    violations.add(r.id() + " epoch " + r.epoch() + " has two owners: " + other + " and " + r.owner());
                }
                Owner before = last.put(r.id(), new Owner(r.owner(), r.epoch()));
                if (before == null) {
                    continue;
                }
                if (r.epoch() < before.epoch()) {
                    violations.add(r.id() + " epoch went back from " + before.epoch() + " to " + r.epoch());
                }
                if (!r.owner().equals(before.replica())) {
                    Timestamp formerLease = expires.get(before.replica());
                    if (formerLease != null && formerLease.after(r.now())) {
                        violations.add(r.id() + " moved from " + before.replica() + " to " + r.owner() + " at " + r.now()
                                + " while " + before.replica() + "'s lease ran until " + formerLease);
                    }
                    if (r.epoch() <= before.epoch()) {
                        violations.add(r.id() + " changed owner without a new epoch (" + r.epoch() + ")");
                    }
                }
            }
            samples++;
        }

        int samples() {
            return samples;
        }

        List<String> ownersOf(String session) {
            return List.copyOf(owners.getOrDefault(session, new LinkedHashSet<>()));
        }

        List<String> violations() {
            List<String> all = new ArrayList<>(violations);
            if (failure != null) {
                all.add("sampler failed: " + failure);
            }
            return all;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5000);
        }
    }
}
