package io.keisei.training;

import io.agroal.api.AgroalDataSource;
import io.keisei.training.persistence.Ownership;
import io.keisei.training.persistence.Ownership.Claim;
import io.keisei.training.persistence.Ownership.Owned;
import io.keisei.training.persistence.ReplicaLeases;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ownership component alone, as several replicas use it: plain {@link ReplicaLeases} and {@link Ownership}
 * objects per replica on the one real PostgreSQL (the service's own datasource). The service's own takeover scan is
 * switched off here so that only these stand-in replicas compete for the rows.
 */
@QuarkusTest
@WithTestResource(WithResourceService.class)
@TestProfile(ReplicaOwnershipTest.NoTakeoverScan.class)
class ReplicaOwnershipTest {

    public static class NoTakeoverScan implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keisei.training.replicas.takeover-every", "1h");
        }
    }

    private static final Duration LEASE = Duration.ofMillis(1500);

    @Inject
    AgroalDataSource db;

    /** A stand-in replica: an id, its lease, and the ownership repository. */
    final class Replica {
        final ReplicaLeases leases;
        final Ownership ownership;
        String id;

        Replica(String name, Duration lease) throws SQLException {
            leases = new ReplicaLeases(db, lease);
            ownership = new Ownership(db);
            register(name);
        }

        void register(String name) throws SQLException {
            id = name + "-" + UUID.randomUUID().toString().substring(0, 8);
            leases.register(id, name);
        }
    }

    @Test
    void aReplicaThatStopsRenewingLosesItsSessionsToAnotherWithinTheLeaseAndIsFencedOff() throws Exception {
        Replica a = new Replica("a", LEASE);
        Replica b = new Replica("b", LEASE);
        List<String> sessions = List.of(session("running"), session("stopping"), session("starting"));
        List<Claim> taken = a.ownership.takeOrphans(Owned.SESSIONS, a.id).stream().filter(c -> sessions.contains(c.id())).toList();
        assertThat(taken).hasSize(3).allSatisfy(c -> assertThat(c.epoch()).isEqualTo(1));
        // While A renews, B takes nothing of A's.
        for (int i = 0; i < 3; i++) {
            assertThat(a.leases.renew(a.id)).isTrue();
            assertThat(b.leases.renew(b.id)).isTrue();
            assertThat(b.ownership.takeOrphans(Owned.SESSIONS, b.id)).extracting(Claim::id).doesNotContainAnyElementsOf(sessions);
            Thread.sleep(LEASE.toMillis() / 3);
        }

        // A stops renewing (dead, paused, cut off); B, renewing, takes all three once A's lease expires.
        long stopped = System.nanoTime();
        List<Claim> byB = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            b.leases.renew(b.id);
            b.ownership.takeOrphans(Owned.SESSIONS, b.id).stream().filter(c -> sessions.contains(c.id())).forEach(byB::add);
            return byB.size() == 3;
        });
        Duration took = Duration.ofNanos(System.nanoTime() - stopped);
        assertThat(took).isGreaterThanOrEqualTo(LEASE.minusMillis(LEASE.toMillis() / 3 + 100)).isLessThan(LEASE.plusSeconds(2));
        assertThat(byB).allSatisfy(c -> assertThat(c.epoch()).isEqualTo(2));
        for (String s : sessions) {
            assertThat(owner(s)).isEqualTo(b.id + "@2");
        }

        // A wakes up: its lease cannot be renewed, and any write it attempts on its former sessions is refused.
        assertThat(a.leases.renew(a.id)).isFalse();
        for (String s : sessions) {
            assertThat(a.ownership.act(Owned.SESSIONS, s, a.id, 1, c -> step(c, s))).isFalse();
            assertThat(a.ownership.holds(Owned.SESSIONS, s, a.id, 1)).isFalse();
            assertThat(b.ownership.act(Owned.SESSIONS, s, b.id, 2, c -> step(c, s))).isTrue();
        }
        // Re-registered under a new id, A is a replica like any other: it takes nothing B holds.
        a.register("a");
        assertThat(a.ownership.takeOrphans(Owned.SESSIONS, a.id)).extracting(Claim::id).doesNotContainAnyElementsOf(sessions);
        // Even its own lease being valid does not let A act on B's sessions under its old epoch.
        assertThat(a.ownership.act(Owned.SESSIONS, sessions.get(0), a.id, 2, c -> step(c, sessions.get(0)))).isFalse();
    }

    @Test
    void aReleasedLeaseHandsItsSessionsOverAtOnce() throws Exception {
        Replica a = new Replica("a", Duration.ofMinutes(5));
        Replica b = new Replica("b", Duration.ofMinutes(5));
        String s = session("running");
        assertThat(a.ownership.takeOrphans(Owned.SESSIONS, a.id)).extracting(Claim::id).contains(s);
        a.leases.release(a.id); // a clean shutdown
        assertThat(b.ownership.takeOrphans(Owned.SESSIONS, b.id)).contains(new Claim(s, 2));
    }

    @Test
    void sessionsWithoutATrainerAreNotTakenOver() throws Exception {
        Replica a = new Replica("a", LEASE);
        String queued = session("queued");
        String stopped = session("stopped");
        assertThat(a.ownership.takeOrphans(Owned.SESSIONS, a.id)).extracting(Claim::id).doesNotContain(queued, stopped);
    }

    /**
     * Many replicas, leases that lapse at random (a replica that sleeps past its lease re-registers under a new id and
     * forgets what it owned), all taking over and writing at once. Every write that passed the fence is numbered by
     * the row itself (its step counter, incremented under the lock): in that order, the epochs never go back, and each
     * epoch belongs to one replica only. So no two replicas ever acted on one session in overlapping turns.
     */
    @Test
    void noSessionIsEverActedOnByTwoReplicasAcrossManyInterleavings() throws Exception {
        Duration lease = Duration.ofMillis(400);
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sessions.add(session("running"));
        }
        record Act(String session, long seq, long epoch, String replica) {
        }
        List<Act> acts = Collections.synchronizedList(new ArrayList<>());
        int replicas = 4;
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        List<Future<?>> running = new ArrayList<>();
        for (int r = 0; r < replicas; r++) {
            String name = "r" + r;
            running.add(pool.submit(() -> {
                Replica me = new Replica(name, lease);
                Map<String, Long> mine = new HashMap<>();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < until) {
                    if (random.nextInt(20) == 0) {
                        Thread.sleep(lease.toMillis() + random.nextInt(300)); // a GC pause or partition past the lease
                    }
                    if (!me.leases.renew(me.id)) {
                        mine.clear(); // lost: drop every watch, register anew
                        me.register(name);
                    }
                    for (Claim c : me.ownership.takeOrphans(Owned.SESSIONS, me.id)) {
                        if (sessions.contains(c.id())) {
                            mine.put(c.id(), c.epoch());
                        }
                    }
                    for (Map.Entry<String, Long> m : new ArrayList<>(mine.entrySet())) {
                        long[] seq = new long[1];
                        boolean acted = me.ownership.act(Owned.SESSIONS, m.getKey(), me.id, m.getValue(),
                                c -> seq[0] = step(c, m.getKey()));
                        if (acted) {
                            acts.add(new Act(m.getKey(), seq[0], m.getValue(), me.id));
                        } else {
                            mine.remove(m.getKey()); // fenced off: drop it locally, never touch it again
                        }
                    }
                    Thread.sleep(random.nextInt(lease.toMillis() > 100 ? 80 : 10));
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(acts).hasSizeGreaterThan(50);
        for (String s : sessions) {
            List<Act> ordered = acts.stream().filter(a -> a.session().equals(s)).sorted((x, y) -> Long.compare(x.seq(), y.seq())).toList();
            assertThat(ordered).as("session %s was acted on", s).isNotEmpty();
            Map<Long, String> ownerOfEpoch = new HashMap<>();
            long last = 0;
            for (Act a : ordered) {
                assertThat(a.epoch()).as("epochs never go back").isGreaterThanOrEqualTo(last);
                last = a.epoch();
                String before = ownerOfEpoch.putIfAbsent(a.epoch(), a.replica());
                assertThat(before == null ? a.replica() : before).as("one replica per epoch").isEqualTo(a.replica());
            }
            assertThat(ordered.stream().map(Act::replica).distinct().count()).as("ownership moved between replicas").isGreaterThan(1);
        }
    }

    private String session(String state) throws SQLException {
        String id = "own-" + UUID.randomUUID();
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "INSERT INTO training.sessions (id, name, owner, state, created_at, updated_at) VALUES (?, 'ownership', 'alice', ?, now(), now())")) {
            st.setString(1, id);
            st.setString(2, state);
            st.executeUpdate();
        }
        return id;
    }

    private String owner(String id) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT owner_replica, owner_epoch FROM training.sessions WHERE id = ?")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1) + "@" + rs.getLong(2);
            }
        }
    }

    /** A write under the fence: numbers it by the row's own counter. */
    private static long step(Connection c, String id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE training.sessions SET current_step = current_step + 1 WHERE id = ? RETURNING current_step")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
