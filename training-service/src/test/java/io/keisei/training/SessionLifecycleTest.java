package io.keisei.training;

import io.keisei.contracts.AllocationInfo;
import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.MetricNames;
import io.keisei.contracts.MetricUpdate;
import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.Streams;
import io.keisei.testsupport.TestServiceCredential;
import io.keisei.training.service.SessionLifecycle;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Sessions driven through training-service's API with real trainer processes (the packaged
 * shogi-trainer jar) and a real resource-service granting the resources.
 */
@QuarkusTest
@WithTestResource(WithResourceService.class)
class SessionLifecycleTest {

    /** A tiny model and short epochs: metrics every few hundred milliseconds. */
    static final String TINY = """
            {"training": {"total_timesteps": 5000000, "steps_per_epoch": 64, "minibatch_size": 32, "ppo_epochs": 1,
                          "tower_width": 16, "tower_depth": 1, "checkpoint_interval_timesteps": 1000000,
                          "evaluation_interval_timesteps": 1000000},
             "evaluation": {"enable_periodic_evaluation": false},
             "env": {"max_moves_per_game": 60}}""";

    @Inject
    RedisDataSource redis;
    @Inject
    SessionLifecycle lifecycle;

    static String create(String name) {
        return given().contentType(ContentType.JSON)
                .body("{\"name\":\"" + name + "\",\"owner\":\"alice\",\"template\":\"quick-cpu\",\"config\":" + TINY + "}")
                .post("/sessions").then().statusCode(201).extract().path("id");
    }

    static String state(String id) {
        return given().get("/sessions/{id}", id).then().statusCode(200).extract().path("state");
    }

    static void awaitState(String id, String state, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(state(id)).isEqualTo(state));
    }

    List<MetricUpdate> metrics(String session) {
        return redis.stream(String.class).xrange(Streams.METRICS, StreamRange.of("-", "+")).stream()
                .map(m -> StreamCodec.fromEntry(m.payload(), MetricUpdate.class))
                .filter(m -> m.session().equals(session)).toList();
    }

    @Test
    void startCheckpointPauseResumeStopWithARealTrainer() throws Exception {
        String id = given().contentType(ContentType.JSON)
                .body("{\"name\":\"lifecycle\",\"owner\":\"alice\",\"ownerRole\":\"admin\",\"priority\":900,"
                        + "\"template\":\"quick-cpu\",\"config\":" + TINY + "}")
                .post("/sessions").then().statusCode(201).extract().path("id");
        given().post("/sessions/{id}/start", id).then().statusCode(200)
                .body("state", org.hamcrest.Matchers.oneOf("starting", "running"));
        awaitState(id, "running", Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(60)).until(() -> metrics(id).stream().anyMatch(m -> m.metrics().containsKey(MetricNames.POLICY_LOSS)));

        given().post("/sessions/{id}/checkpoint", id).then().statusCode(202);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().queryParam("session", id).get("/models").then().statusCode(200).body("total", org.hamcrest.Matchers.greaterThan(0)));

        given().post("/sessions/{id}/pause", id).then().statusCode(200).body("state", equalTo("pausing"));
        awaitState(id, "paused", Duration.ofSeconds(60));
        Response paused = given().get("/sessions/{id}", id);
        String latest = paused.path("latestCheckpointId");
        int savedStep = given().get("/models/{m}", latest).then().statusCode(200).extract().path("step");
        assertThat(savedStep).isPositive();
        given().get("/sessions/{id}/attempts", id).then().statusCode(200).body("[0].exitCode", equalTo(10));
        assertThat(activeAllocations(id)).isZero();

        given().post("/sessions/{id}/resume", id).then().statusCode(200);
        awaitState(id, "running", Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(60)).until(() -> metrics(id).stream()
                .anyMatch(m -> m.attempt() == 2 && m.metrics().containsKey(MetricNames.POLICY_LOSS)));
        long firstStepOfAttempt2 = metrics(id).stream().filter(m -> m.attempt() == 2 && m.metrics().containsKey(MetricNames.POLICY_LOSS))
                .mapToLong(MetricUpdate::step).min().orElseThrow();
        assertThat(firstStepOfAttempt2).isEqualTo(savedStep + 64);
        given().get("/sessions/{id}/attempts", id).then().statusCode(200).body("[1].resumeCheckpointId", equalTo(latest));

        given().post("/sessions/{id}/stop", id).then().statusCode(200).body("state", equalTo("stopping"));
        awaitState(id, "stopped", Duration.ofSeconds(60));
        assertThat(activeAllocations(id)).isZero();
        given().get("/sessions/{id}/logs?tail=500", id).then().statusCode(200)
                .body(containsString("=== attempt 1")).body(containsString("=== attempt 2"))
                // every role that watches may read the log: where the server keeps files is not theirs to see
                .body(containsString("checkpoint at step")).body(containsString("$KEISEI_DATA_DIR/sessions/" + id))
                .body(org.hamcrest.Matchers.not(containsString(java.nio.file.Path.of("target/test-data").toAbsolutePath().toString())));

        // Illegal transitions answer 409 with the current state.
        given().post("/sessions/{id}/pause", id).then().statusCode(409).contentType("application/problem+json")
                .body("state", equalTo("stopped"));
        given().post("/sessions/{id}/start", id).then().statusCode(409).body("state", equalTo("stopped"));

        // Download: streamed, with Content-Length and the sha256 as ETag.
        String model = given().get("/sessions/{id}", id).path("latestCheckpointId");
        String sha = given().get("/models/{m}", model).path("sha256");
        Response download = given().get("/models/{m}/download", model);
        assertThat(download.statusCode()).isEqualTo(200);
        byte[] bytes = download.asByteArray();
        assertThat(download.header("Content-Length")).isEqualTo(String.valueOf(bytes.length));
        assertThat(download.header("ETag")).contains(sha);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))).isEqualTo(sha);
        given().header("If-None-Match", "\"" + sha + "\"").get("/models/{m}/download", model).then().statusCode(304);

        // Fork: a new session that starts from this checkpoint.
        String fork = given().contentType(ContentType.JSON).body("{\"name\":\"forked\",\"owner\":\"alice\",\"ownerRole\":\"admin\"}")
                .post("/models/{m}/fork", model)
                .then().statusCode(201).body("resumeFromCheckpointId", equalTo(model)).body("priority", equalTo(900))
                .extract().path("id");
        assertThat(fork).isNotEqualTo(id);
        // Someone else's fork of the admin's model is theirs: not the source's priority, and their role decides quotas.
        String bobs = given().contentType(ContentType.JSON).body("{\"owner\":\"bob\",\"ownerRole\":\"viewer\"}")
                .post("/models/{m}/fork", model)
                .then().statusCode(201).body("owner", equalTo("bob")).body("priority", equalTo(0)).extract().path("id");
        // viewers may not run sessions: resource-service refuses the fork's start by bob's role, not the admin's
        given().post("/sessions/{id}/start", bobs).then().statusCode(403);
        // It failed before it saved a checkpoint of its own: a resume starts it over from where a start would, the model.
        given().post("/sessions/{id}/resume", bobs).then().statusCode(403);
        given().get("/sessions/{id}/attempts", bobs).then().statusCode(200).body("[1].resumeCheckpointId", equalTo(model));
        // The fork body is checked like a create's.
        given().contentType(ContentType.JSON).body("{\"name\":\"bad\\u0007name\",\"owner\":\"bob\"}")
                .post("/models/{m}/fork", model).then().statusCode(400).body("errors[0].field", equalTo("name"));
        given().contentType(ContentType.JSON).body("{\"owner\":\"bob\",\"priority\":5000}")
                .post("/models/{m}/fork", model).then().statusCode(400).body("errors[0].field", equalTo("priority"));
    }

    @Test
    void aStopRightAfterTheStartEndsTheAttemptWhetherOrNotItsTrainerExistsYet() {
        // The trainer is spawned after the start is answered: a stop may find it, or come before it exists.
        for (int i = 0; i < 5; i++) {
            String id = create("start-stop-" + i);
            given().post("/sessions/{id}/start", id).then().statusCode(200);
            String answered = given().post("/sessions/{id}/stop", id).then().statusCode(200).extract().path("state");
            assertThat(answered).isIn("stopping", "stopped");
            awaitState(id, "stopped", Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(10)).until(() -> activeAllocations(id) == 0);
            // Whichever way it went, no trainer of it is left (its command line names the session's directory).
            await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.allProcesses()
                    .noneMatch(p -> p.isAlive() && p.info().commandLine().orElse("").contains(id)));
        }
    }

    @Test
    void aTrainerKilledWithSigkillFailsTheSessionAndFreesItsResourcesWithin15s() {
        String id = create("killed");
        given().post("/sessions/{id}/start", id).then().statusCode(200);
        awaitState(id, "running", Duration.ofSeconds(60));
        String handle = given().get("/sessions/{id}/attempts", id).path("[0].handle");
        long pid = Long.parseLong(handle.substring("pid:".length()));
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        long t0 = System.nanoTime();
        awaitState(id, "failed", Duration.ofSeconds(15));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
        given().get("/sessions/{id}", id).then().body("stateReason", containsString("code 137"));
        await().atMost(Duration.ofSeconds(10)).until(() -> activeAllocations(id) == 0);
    }

    @Test
    void aQueuedSessionStartsByItselfWhenResourcesFreeUp() {
        // Each built-in session asks for 1000m CPU: start sessions until the local pool is full and one waits.
        int cores = Runtime.getRuntime().availableProcessors();
        List<String> started = new java.util.ArrayList<>();
        String waiting = null;
        for (int i = 0; i < cores + 3 && waiting == null; i++) {
            String id = create("filler-" + i);
            String state = given().post("/sessions/{id}/start", id).then().statusCode(200).extract().path("state");
            if ("queued".equals(state)) {
                waiting = id;
            } else {
                started.add(id);
            }
        }
        assertThat(waiting).as("a session beyond the pool's CPU capacity waits").isNotNull();
        given().get("/sessions/{id}", waiting).then().body("stateReason", containsString("CPU"));
        for (String id : started) {
            given().post("/sessions/{id}/stop", id).then().statusCode(200);
        }
        awaitState(waiting, "running", Duration.ofSeconds(90));
        given().post("/sessions/{id}/stop", waiting).then().statusCode(200);
        awaitState(waiting, "stopped", Duration.ofSeconds(60));
    }

    @Test
    void theCheckpointALiveAttemptResumedFromCannotBeDeleted() {
        String id = create("keep");
        given().post("/sessions/{id}/start", id).then().statusCode(200);
        awaitState(id, "running", Duration.ofSeconds(60));
        given().post("/sessions/{id}/pause", id).then().statusCode(200);
        awaitState(id, "paused", Duration.ofSeconds(60));
        String model = given().get("/sessions/{id}", id).path("latestCheckpointId");
        given().post("/sessions/{id}/resume", id).then().statusCode(200);
        awaitState(id, "running", Duration.ofSeconds(60));
        given().delete("/models/{m}", model).then().statusCode(409).contentType("application/problem+json");
        given().post("/sessions/{id}/stop", id).then().statusCode(200);
        awaitState(id, "stopped", Duration.ofSeconds(60));
        given().delete("/models/{m}", model).then().statusCode(204);
        given().get("/models/{m}", model).then().statusCode(404);
    }

    @Test
    void modelPathsCannotBeTraversed() {
        for (String evil : List.of("..%2F..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "..", "ck-%2e%2e")) {
            int code = given().urlEncodingEnabled(false).get("/models/" + evil + "/download").statusCode();
            assertThat(code).as(evil).isIn(400, 404);
        }
        given().get("/models/does-not-exist/download").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void concurrentStartStopRequestsNeverCorruptASession() throws Exception {
        String id = create("storm");
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://localhost:" + io.restassured.RestAssured.port + "/sessions/" + id + "/";
        List<String> actions = List.of("start", "stop", "pause", "resume", "start", "stop", "resume", "pause", "stop", "resume",
                "start", "stop", "resume", "stop", "pause", "resume");
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> calls = actions.stream()
                .map(a -> http.sendAsync(TestServiceCredential.request(URI.create(base + a)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString()))
                .toList();
        for (var c : calls) {
            int status = c.get().statusCode();
            assertThat(status).as(c.get().body()).isIn(200, 409);
        }
        // Settle: stop whatever runs, then check the invariants.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            String s = state(id);
            if (List.of("queued", "starting", "running").contains(s)) {
                given().post("/sessions/{id}/stop", id);
            }
            return List.of("stopped", "paused", "failed", "created").contains(s);
        });
        List<Integer> exitCodes = given().get("/sessions/{id}/attempts", id).path("exitCode");
        int attempts = given().get("/sessions/{id}", id).path("attempts");
        assertThat(exitCodes).hasSize(attempts);
        await().atMost(Duration.ofSeconds(20)).until(() -> activeAllocations(id) == 0);
    }

    @Test
    void aPreemptedSessionCheckpointsPausesAndGivesBackItsAllocation() {
        String id = create("preempted");
        given().post("/sessions/{id}/start", id).then().statusCode(200);
        awaitState(id, "running", Duration.ofSeconds(60));
        String allocation = given().get("/sessions/{id}/attempts", id).path("[0].allocationId");

        // A preemption of some other allocation of this session (an earlier attempt's) changes nothing.
        lifecycle.preempted(id, UUID.randomUUID().toString(), "preempted by an old request");
        assertThat(state(id)).isEqualTo("running");

        // What resource-service publishes when a higher-priority request needs this session's resources.
        String reason = "preempted by allocation 0b7c of session urgent (priority 900 over 0)";
        redis.stream(String.class).xadd(Streams.EVENTS, StreamCodec.toEntry(LifecycleEvent.allocation(EventType.ALLOCATION_PREEMPTED,
                id, "resource-service", new AllocationInfo(allocation, "local", 1000, 1536, List.of(), null, reason))));
        awaitState(id, "paused", Duration.ofSeconds(60));
        given().get("/sessions/{id}", id).then().body("stateReason", equalTo(reason))
                .body("latestCheckpointId", org.hamcrest.Matchers.notNullValue());
        // It paused as a pause does: a checkpoint, then exit code 10; its allocation is released.
        given().get("/sessions/{id}/attempts", id).then().body("[0].exitCode", equalTo(10));
        await().atMost(Duration.ofSeconds(20)).until(() -> activeAllocations(id) == 0);
    }

    @Test
    void aGrantAnnouncedAgainLeavesTheRunningSessionAndItsAllocationAlone() {
        // allocation.granted is delivered at least once (resource-service's outbox resends after a crash).
        String id = create("granted-twice");
        given().post("/sessions/{id}/start", id).then().statusCode(200);
        awaitState(id, "running", Duration.ofSeconds(60));
        String allocation = given().get("/sessions/{id}/attempts", id).path("[0].allocationId");
        AllocationInfo grant = new AllocationInfo(allocation, "local", 1000, 1536, List.of(), null, null);

        lifecycle.launch(id, 1, grant);
        redis.stream(String.class).xadd(Streams.EVENTS, StreamCodec.toEntry(LifecycleEvent.allocation(EventType.ALLOCATION_GRANTED,
                id, "resource-service", grant)));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(activeAllocations(id)).isEqualTo(1));
        assertThat(state(id)).isEqualTo("running");
        given().get("/sessions/{id}/attempts", id).then().body("size()", equalTo(1));

        given().post("/sessions/{id}/stop", id).then().statusCode(200);
        awaitState(id, "stopped", Duration.ofSeconds(60));
    }

    static int activeAllocations(String session) {
        return given().baseUri(WithResourceService.resourceServiceUrl()).queryParam("session", session)
                .get("/allocations").then().statusCode(200).extract().jsonPath().getList("$").size();
    }

    static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
