package io.keisei.training;

import io.keisei.common.stream.StreamPublisher;
import io.keisei.contracts.AllocationInfo;
import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.Streams;
import io.keisei.testsupport.TestServiceCredential;
import io.keisei.training.persistence.EvaluationEntity;
import io.keisei.training.persistence.SessionFiles;
import io.keisei.training.service.EvaluationService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * An evaluation's life beyond the happy path, with a real resource-service and the real match command: every change of
 * state is announced on keisei:events, a preempted evaluation is queued again and runs again on a new allocation, and
 * a match that ran while training-service restarted is found again (or its result read) instead of being failed.
 */
@QuarkusTest
@WithTestResource(WithResourceService.class)
class EvaluationLifecycleTest {

    @Inject
    RedisDataSource redis;
    @Inject
    StreamPublisher publisher;
    @Inject
    EvaluationService evaluations;
    @Inject
    SessionFiles files;

    @Test
    void everyChangeOfStateIsAnnouncedWithTheScore() {
        String id = evaluate("baseline:1", "random", 2, 3);
        await().atMost(Duration.ofSeconds(120)).until(() -> "completed".equals(given().get("/evaluations/{id}", id).path("state")));
        await().atMost(Duration.ofSeconds(10)).until(() -> eventsOf(id).size() >= 3);
        List<LifecycleEvent> events = eventsOf(id);
        assertThat(events).extracting(LifecycleEvent::type).containsExactly(EventType.EVALUATION_QUEUED,
                EventType.EVALUATION_STARTED, EventType.EVALUATION_COMPLETED);
        // No session: the events carry the evaluation's own id, as its allocation does.
        assertThat(events).allSatisfy(e -> {
            assertThat(e.session()).isEqualTo(id);
            assertThat(e.source()).isEqualTo("training-service");
            assertThat(e.evaluation().playerA()).isEqualTo("baseline:1");
        });
        LifecycleEvent done = events.get(2);
        assertThat(done.state()).isEqualTo("completed");
        assertThat(done.evaluation().aWins() + done.evaluation().draws() + done.evaluation().bWins()).isEqualTo(2);
        assertThat(done.evaluation().aWins()).isEqualTo(given().get("/evaluations/{id}", id).<Integer>path("aWins"));
    }

    @Test
    void aPreemptedEvaluationIsQueuedAgainAndRunsOnANewAllocation() {
        String id = evaluate("baseline:2", "baseline:1", 2000, 5);
        await().atMost(Duration.ofSeconds(60)).until(() -> "running".equals(given().get("/evaluations/{id}", id).path("state")));
        String first = QuarkusTransaction.requiringNew().call(() -> EvaluationEntity.<EvaluationEntity>findById(id).allocationId);
        String firstHandle = QuarkusTransaction.requiringNew().call(() -> EvaluationEntity.<EvaluationEntity>findById(id).handle);
        long pid = Long.parseLong(firstHandle.substring(4));

        publisher.publish(Streams.EVENTS, LifecycleEvent.allocation(EventType.ALLOCATION_PREEMPTED, id, "resource-service",
                new AllocationInfo(first, "default", 1000, 1024, List.of(), null,
                        "preempted by allocation x of session s (priority 500 over -10)")), Streams.EVENTS_MAXLEN);

        // Queued again with the reason, then running again on another allocation; the old match is gone.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            EvaluationEntity e = QuarkusTransaction.requiringNew().call(() -> EvaluationEntity.findById(id));
            assertThat(e.state).isEqualTo("running");
            assertThat(e.allocationId).isNotNull().isNotEqualTo(first);
            assertThat(e.handle).isNotNull().isNotEqualTo(firstHandle);
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(eventsOf(id)).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.EVALUATION_QUEUED);
            assertThat(e.reason()).contains("preempted by allocation x").contains("queued again");
        }));
        given().baseUri(WithResourceService.resourceServiceUrl()).basePath("")
                .header(TestServiceCredential.HEADER, TestServiceCredential.TOKEN)
                .get("/allocations/{a}", first).then().statusCode(200).body("state", equalTo("released"));

        given().post("/evaluations/{id}/cancel", id).then().statusCode(200).body("state", equalTo("cancelled"));
    }

    @Test
    void aMatchThatOutlivedARestartIsWatchedAgainAndItsResultStored() throws Exception {
        // A match process of a previous life of this service: still running, its command line naming the evaluation.
        String live = "eval-" + UUID.randomUUID();
        Process match = new ProcessBuilder("sh", "-c", "sleep 2; : " + live).start();
        running(live, "pid:" + match.pid());
        writeResult(live);
        // Another one ended while nobody watched, its result written; a third vanished without one.
        String endedUnwatched = "eval-" + UUID.randomUUID();
        running(endedUnwatched, "pid:999999999");
        writeResult(endedUnwatched);
        String vanished = "eval-" + UUID.randomUUID();
        running(vanished, "pid:999999998");

        evaluations.watchAgain();

        assertThat(given().get("/evaluations/{id}", live).<String>path("state")).isEqualTo("running");
        await().atMost(Duration.ofSeconds(20)).until(() -> "completed".equals(given().get("/evaluations/{id}", live).path("state")));
        given().get("/evaluations/{id}", live).then().body("aWins", equalTo(1)).body("draws", equalTo(1));
        given().get("/evaluations/{id}/games", live).then().statusCode(200).body("size()", equalTo(2))
                .body("[1].moves", equalTo(List.of("2g2f", "8c8d")));
        given().get("/evaluations/{id}", endedUnwatched).then().body("state", equalTo("completed"));
        given().get("/evaluations/{id}", vanished).then().body("state", equalTo("failed"))
                .body("stateReason", containsString("without a result"));
    }

    private void running(String id, String handle) {
        QuarkusTransaction.requiringNew().run(() -> {
            EvaluationEntity e = new EvaluationEntity();
            e.id = id;
            e.owner = "alice";
            e.ownerRole = "admin";
            e.playerA = "baseline:1";
            e.playerB = "random";
            e.games = 2;
            e.seed = 1;
            e.priority = -10;
            e.state = "running";
            e.handle = handle;
            e.createdAt = Instant.now();
            e.startedAt = Instant.now();
            e.persist();
        });
    }

    private void writeResult(String id) throws Exception {
        Path dir = files.evaluationDir(id);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("result.json"), """
                {"evaluation":"%s","games":[
                 {"index":0,"black":"A","result":"black_win","reason":"checkmate","plies":1,"startSfen":"startpos","moves":["7g7f"]},
                 {"index":1,"black":"B","result":"draw","reason":"max_moves","plies":2,"startSfen":"startpos","moves":["2g2f","8c8d"]}]}
                """.formatted(id));
    }

    private List<LifecycleEvent> eventsOf(String id) {
        return redis.stream(String.class).xrange(Streams.EVENTS, StreamRange.of("-", "+")).stream()
                .map(m -> StreamCodec.fromEntry(m.payload(), LifecycleEvent.class))
                .filter(e -> id.equals(e.session()) && e.type().isEvaluation()).toList();
    }

    private static String evaluate(String a, String b, int games, long seed) {
        return given().contentType(ContentType.JSON)
                .body("{\"playerA\":\"" + a + "\",\"playerB\":\"" + b + "\",\"games\":" + games + ",\"seed\":" + seed
                        + ",\"owner\":\"alice\",\"ownerRole\":\"admin\"}")
                .post("/evaluations").then().statusCode(201).extract().path("id");
    }
}
