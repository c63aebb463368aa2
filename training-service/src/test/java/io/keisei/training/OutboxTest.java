package io.keisei.training;

import io.agroal.api.AgroalDataSource;
import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.Streams;
import io.keisei.training.stream.LifecycleEventPublisher;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Lifecycle events go through the transactional outbox training.outbox: they exist exactly when their
 * transaction committed, and reach keisei:events even when nothing relays them right after the commit
 * (the process died there): the relay's timer sends them, in order.
 */
@QuarkusTest
@WithTestResource(WithResourceService.class)
class OutboxTest {

    @Inject
    LifecycleEventPublisher publisher;
    @Inject
    RedisDataSource redis;
    @Inject
    AgroalDataSource dataSource;

    List<LifecycleEvent> events(String session) {
        return redis.stream(String.class).xrange(Streams.EVENTS, StreamRange.of("-", "+")).stream()
                .map(m -> StreamCodec.fromEntry(m.payload(), LifecycleEvent.class))
                .filter(e -> session.equals(e.session())).toList();
    }

    long rowsOf(String session) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + LifecycleEventPublisher.OUTBOX_TABLE
                     + " WHERE payload LIKE '%" + session + "%'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static LifecycleEvent event(String session, int attempt) {
        return LifecycleEvent.of(EventType.SESSION_QUEUED, session, attempt, "outbox-test", "queued", null);
    }

    @Test
    void aCreatedSessionsEventFollowsTheAnswerAndLeavesTheTable() throws Exception {
        String id = given().contentType(ContentType.JSON)
                .body("{\"name\":\"outbox\",\"owner\":\"alice\",\"template\":\"quick-cpu\"}")
                .post("/sessions").then().statusCode(201).extract().path("id");
        // Sent by the pass the commit asked for (well before the relay's 1 s timer would).
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(events(id)).extracting(LifecycleEvent::type).containsExactly(EventType.SESSION_CREATED));
        given().delete("/sessions/{id}", id).then().statusCode(204);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events(id)).extracting(LifecycleEvent::type)
                .containsExactly(EventType.SESSION_CREATED, EventType.SESSION_DELETED));
        await().atMost(Duration.ofSeconds(5)).until(() -> rowsOf(id) == 0);
    }

    @Test
    void aRolledBackTransactionLeavesNoEvent() throws Exception {
        String session = "ob-" + UUID.randomUUID();
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            publisher.stage(event(session, 1));
            throw new IllegalStateException("the transition fails after its event was written");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(rowsOf(session)).isZero();
        publisher.afterCommit();
        assertThat(events(session)).isEmpty();
    }

    @Test
    void eventsCommittedWithoutARelayAfterTheCommitStillArriveInOrder() {
        String session = "ob-" + UUID.randomUUID();
        // Committed, then the process "dies": nothing nudges the relay. Its timer (as after a restart) sends them.
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 1; i <= 5; i++) {
                publisher.stage(event(session, i));
            }
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(events(session)).extracting(LifecycleEvent::attempt).containsExactly(1, 2, 3, 4, 5));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(rowsOf(session)).isZero());
    }
}
