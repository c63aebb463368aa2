package io.keisei.training;

import io.agroal.api.AgroalDataSource;
import io.keisei.training.persistence.AttemptEntity;
import io.keisei.training.persistence.SessionEntity;
import io.keisei.training.service.ReplicaLease;
import io.keisei.training.service.SessionLifecycle;
import io.keisei.training.service.TrainerSupervisor;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service as one replica among others: it takes over the sessions of a replica whose lease expired and
 * re-attaches their trainers; when it loses its own lease it drops its watches without touching the trainers, its
 * stale exit handling is refused, and under its new registration it takes them back with a new epoch.
 */
@QuarkusTest
@WithTestResource(WithResourceService.class)
class ReplicaTakeoverTest {

    @Inject
    AgroalDataSource db;
    @Inject
    ReplicaLease replica;
    @Inject
    TrainerSupervisor supervisor;
    @Inject
    SessionLifecycle lifecycle;

    @Test
    void theSessionsOfADeadReplicaAreTakenOverWithin30sAndALostLeaseIsFencedOff() throws Exception {
        // Another replica ("ghost") owns a running session; its trainer runs (a stand-in whose command line names it).
        String ghost = "ghost-" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "INSERT INTO training.replicas (id, host, started_at, renewed_at, expires_at) "
                        + "VALUES (?, 'ghost', clock_timestamp(), clock_timestamp(), clock_timestamp() + interval '2 seconds')")) {
            st.setString(1, ghost);
            st.executeUpdate();
        }
        String id = SessionLifecycleTest.create("takeover");
        Process trainer = new ProcessBuilder("bash", "-c", "sleep 120; true", id).start();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                SessionEntity s = SessionEntity.findById(id);
                s.state = "running";
                s.attemptCount = 1;
                s.ownerReplica = ghost;
                s.ownerEpoch = 7;
                AttemptEntity a = new AttemptEntity();
                a.sessionId = id;
                a.attempt = 1;
                a.launcher = "process";
                a.handle = "pid:" + trainer.pid();
                a.createdAt = Instant.now();
                a.startedAt = Instant.now();
                a.persist();
            });
            // While the ghost's lease lasts, nobody touches its session.
            Thread.sleep(500);
            assertThat(row(id).ownerReplica).isEqualTo(ghost);

            // The ghost never renews: within 30 s this replica owns the session under the next epoch and watches it.
            long died = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).until(() -> supervisor.get(id).isPresent());
            assertThat(Duration.ofNanos(System.nanoTime() - died)).isLessThan(Duration.ofSeconds(30));
            SessionEntity taken = row(id);
            assertThat(taken.ownerReplica).isEqualTo(replica.id());
            assertThat(taken.ownerEpoch).isEqualTo(8);
            assertThat(taken.state).isEqualTo("running");
            assertThat(supervisor.get(id).get().epoch()).isEqualTo(8);

            // This replica now loses its lease (a long pause, a partition): every watch is dropped, the trainer lives on.
            String before = replica.id();
            replica.lose();
            assertThat(supervisor.get(id)).isEmpty();
            assertThat(trainer.isAlive()).isTrue();

            // Registered again under a new id, the replica takes the session back (the old id's lease is over) with epoch 9.
            await().atMost(Duration.ofSeconds(30)).until(() -> replica.id() != null && !replica.id().equals(before)
                    && supervisor.get(id).isPresent());
            SessionEntity back = row(id);
            assertThat(back.ownerReplica).isEqualTo(replica.id());
            assertThat(back.ownerEpoch).isEqualTo(9);
            assertThat(trainer.isAlive()).isTrue();
            // What the replica saw under epoch 8 is fenced off: a stale exit report fails nothing.
            lifecycle.onExit(new TrainerSupervisor.Exit(id, 1, 1, null, null, 8));
            assertThat(SessionLifecycleTest.state(id)).isEqualTo("running");

            // The trainer dies: the current owner (epoch 9) settles the session.
            trainer.destroyForcibly();
            await().atMost(Duration.ofSeconds(15)).until(() -> SessionLifecycleTest.state(id).equals("failed"));
        } finally {
            trainer.destroyForcibly();
        }
    }

    private static SessionEntity row(String id) {
        return QuarkusTransaction.requiringNew().call(() -> SessionEntity.<SessionEntity>findById(id));
    }
}
