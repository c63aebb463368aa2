package io.keisei.common.outbox;

import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.Streams;
import io.keisei.infra.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay's pass after a commit runs on its own thread (real PostgreSQL; the sender records what would be XADDed):
 * the committing call does not wait for it, commits that ask while a pass waits are sent by it, in id order and once,
 * and a closed relay asks for nothing. The timer is never started here, so only the passes asked for can send.
 */
class OutboxRelayTest {

    static PostgresServer postgres;
    static PGSimpleDataSource dataSource;
    static final Outbox OUTBOX = new Outbox("public.outbox_relay_test");

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start(null, 0, "keisei");
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(postgres.jdbcUrl());
        dataSource.setUser(PostgresServer.USER);
        dataSource.setPassword(PostgresServer.PASSWORD);
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @BeforeEach
    void emptyTable() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + OUTBOX.table() + "; CREATE TABLE " + OUTBOX.table()
                    + " (id bigserial PRIMARY KEY, stream text NOT NULL, max_len bigint NOT NULL, payload text NOT NULL,"
                    + " created_at timestamptz NOT NULL DEFAULT clock_timestamp())");
        }
    }

    /** Commits one event of session {@code s} for each attempt given, in one transaction. */
    static void commit(String s, int... attempts) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            for (int attempt : attempts) {
                OUTBOX.append(c, Streams.EVENTS, LifecycleEvent.of(EventType.SESSION_QUEUED, s, attempt, "test", "queued", null),
                        Streams.EVENTS_MAXLEN);
            }
            c.commit();
        }
    }

    static long rows() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + OUTBOX.table())) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static OutboxRelay relay(OutboxRelay.Sender sender) {
        return new OutboxRelay(OUTBOX, dataSource, sender, new OutboxRelay.Settings(100, Duration.ofHours(1), Duration.ofSeconds(2),
                Duration.ofSeconds(30)));
    }

    @Test
    void theCommittingCallDoesNotWaitForTheSendAndLaterCommitsRideTheNextPass() throws Exception {
        List<Integer> sent = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        CountDownLatch firstSendBegun = new CountDownLatch(1);
        CountDownLatch redisAnswers = new CountDownLatch(1);
        OutboxRelay relay = relay((stream, json, maxLen) -> {
            firstSendBegun.countDown();
            try {
                // Redis is slow to answer the first XADD: the committing thread must be free meanwhile.
                redisAnswers.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            threads.add(Thread.currentThread().getName());
            sent.add(StreamCodec.decode(json, LifecycleEvent.class).attempt());
        });
        try {
            commit("s1", 1);
            relay.afterCommit();
            assertThat(firstSendBegun.await(10, TimeUnit.SECONDS)).as("the pass began on the relay's thread").isTrue();
            assertThat(sent).as("afterCommit returned while the XADD waited").isEmpty();

            // Three more commits while the first pass is stuck in its XADD: each asks, they share the next pass.
            commit("s1", 2);
            relay.afterCommit();
            commit("s1", 3, 4);
            relay.afterCommit();
            relay.afterCommit();
            redisAnswers.countDown();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(sent).containsExactly(1, 2, 3, 4));
            await().atMost(Duration.ofSeconds(10)).until(() -> rows() == 0);
            assertThat(threads).allMatch(t -> t.equals("outbox-relay-" + OUTBOX.table()));
        } finally {
            relay.close();
        }
    }

    @Test
    void aClosedRelayAsksForNothingAndLeavesTheRowsForTheNextRelay() throws Exception {
        List<Integer> sent = new CopyOnWriteArrayList<>();
        OutboxRelay.Sender recording = (stream, json, maxLen) -> sent.add(StreamCodec.decode(json, LifecycleEvent.class).attempt());
        OutboxRelay closed = relay(recording);
        closed.close();
        commit("s2", 1, 2);
        closed.afterCommit();
        Thread.sleep(300);
        assertThat(sent).isEmpty();
        assertThat(rows()).isEqualTo(2);

        // After a restart: the next relay's first pass sends them, in order.
        OutboxRelay next = relay(recording);
        try {
            next.afterCommit();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(sent).containsExactly(1, 2));
            await().atMost(Duration.ofSeconds(10)).until(() -> rows() == 0);
        } finally {
            next.close();
        }
    }
}
