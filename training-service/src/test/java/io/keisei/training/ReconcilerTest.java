package io.keisei.training;

import io.keisei.training.persistence.AttemptEntity;
import io.keisei.training.persistence.SessionEntity;
import io.keisei.training.service.Reconciler;
import io.keisei.training.service.TrainerSupervisor;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static io.restassured.RestAssured.given;

/** What training-service does at start-up with sessions that were live when it stopped. */
@QuarkusTest
@WithTestResource(WithResourceService.class)
class ReconcilerTest {

    @Inject
    Reconciler reconciler;
    @Inject
    TrainerSupervisor supervisor;

    @Test
    void aLiveSessionWhoseTrainerIsGoneIsFailed() throws Exception {
        String id = SessionLifecycleTest.create("gone");
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor(10, TimeUnit.SECONDS);
        pretendRunning(id, "pid:" + finished.pid());

        reconciler.reconcile();

        assertThat(SessionLifecycleTest.state(id)).isEqualTo("failed");
        given().get("/sessions/{id}", id).then().body("stateReason", containsString("gone when training-service restarted"));
    }

    @Test
    void aLiveSessionWhoseTrainerStillRunsIsReattached() throws Exception {
        String id = SessionLifecycleTest.create("alive");
        // A stand-in trainer whose command line names the session, as real trainers' do ("; true" keeps bash from exec'ing sleep).
        Process trainer = new ProcessBuilder("bash", "-c", "sleep 60; true", id).start();
        try {
            pretendRunning(id, "pid:" + trainer.pid());
            reconciler.reconcile();
            assertThat(SessionLifecycleTest.state(id)).isEqualTo("running");
            assertThat(supervisor.get(id)).isPresent();

            trainer.destroyForcibly();
            await().atMost(Duration.ofSeconds(15)).until(() -> SessionLifecycleTest.state(id).equals("failed"));
        } finally {
            trainer.destroyForcibly();
        }
    }

    private static void pretendRunning(String id, String handle) {
        QuarkusTransaction.requiringNew().run(() -> {
            SessionEntity s = SessionEntity.findById(id);
            s.state = "running";
            s.attemptCount = 1;
            AttemptEntity a = new AttemptEntity();
            a.sessionId = id;
            a.attempt = 1;
            a.launcher = "process";
            a.handle = handle;
            a.createdAt = Instant.now();
            a.startedAt = Instant.now();
            a.persist();
        });
    }
}
