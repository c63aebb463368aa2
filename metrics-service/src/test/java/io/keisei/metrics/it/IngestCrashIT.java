package io.keisei.metrics.it;

import io.keisei.contracts.MetricUpdate;
import io.keisei.contracts.Streams;
import io.keisei.infra.FreePorts;
import io.keisei.metrics.support.Db;
import io.keisei.metrics.support.ReferenceModel;
import io.keisei.metrics.support.TierAssertions;
import io.keisei.testsupport.PackagedService;
import io.keisei.testsupport.TestInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged metrics-service, SIGKILLed twice in the middle of ingest while trainers keep
 * publishing, then started again: the points in the database are exactly the points published
 * (every metric, step and value of every session, after duplicates and a resume), and the tiers
 * equal a brute-force aggregation of them. Failsafe runs it after {@code package}.
 */
class IngestCrashIT {

    private static final int SESSIONS = 4;
    private static final int UPDATES_PER_SESSION = 5_000;
    private static final int METRICS = 10;
    private static final long SPACING = 64;
    private static final int[] TIERS = {8, 11, 14, 17, 20, 23};
    /** Redelivered updates are reclaimed from a killed consumer after this idle time. */
    private static final String CLAIM_IDLE = "3s";

    private final List<PackagedService> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(PackagedService::close);
    }

    @Test
    void sigkillInTheMiddleOfIngestLosesNoPointAndWritesNoneTwice() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setURL(infra.jdbcUrl());
        db.setUser(infra.dbUser());
        db.setPassword(infra.dbPassword());

        List<MetricUpdate> published = publication();
        Map<String, ReferenceModel> expected = new LinkedHashMap<>();
        published.forEach(u -> expected.computeIfAbsent(u.session(), s -> new ReferenceModel()).apply(u));
        long total = expected.values().stream().mapToLong(m -> m.points().size()).sum();

        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        Path log = Files.createTempFile(Path.of("target"), "ingest-crash-it-", ".log");
        Map<String, String> env = Map.of(
                "KEISEI_DB_URL", infra.jdbcUrl(), "KEISEI_DB_USER", infra.dbUser(), "KEISEI_DB_PASSWORD", infra.dbPassword(),
                "KEISEI_REDIS_URL", infra.redisUrl(), "KEISEI_BIND_HOST", "127.0.0.1",
                "KEISEI_PARENT_PID", String.valueOf(ProcessHandle.current().pid()),
                "KEISEI_METRICS_INGEST_CLAIM_IDLE", CLAIM_IDLE,
                "KEISEI_METRICS_TIERS_LEVELS", "8,11,14,17,20,23",
                "KEISEI_METRICS_RETENTION_EVERY", "off");

        try (StreamClient redis = new StreamClient(infra.redisUrl())) {
            PackagedService first = start(jar, env, log);
            // Trainers publish at a steady pace the whole time, also while the service is down.
            CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> publishPaced(redis, published));

            long inFlight = killMidIngest(first, db, redis, total, 0.20);
            PackagedService second = start(jar, env, log);
            inFlight += killMidIngest(second, db, redis, total, 0.55);
            // Entries read but never acknowledged by the killed JVMs: a batch was in flight when it died,
            // and comes back to the next process through XAUTOCLAIM.
            assertThat(inFlight).as("entries in flight at the kills").isPositive();
            start(jar, env, log);
            publishing.get();

            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() ->
                    Db.count(db, "SELECT count(*) FROM metrics.points") == total
                            && redis.pending(Streams.METRICS, "metrics-service") == 0);
        }

        long stored = 0;
        for (Map.Entry<String, ReferenceModel> e : expected.entrySet()) {
            Map<ReferenceModel.Key, ReferenceModel.Value> points = Db.points(db, e.getKey());
            assertThat(points).as("points of %s", e.getKey()).isEqualTo(e.getValue().points());
            TierAssertions.assertMatches(Db.tiers(db, e.getKey()), e.getValue().tiers(TIERS));
            stored += points.size();
        }
        assertThat(stored).isEqualTo(total);
        System.out.printf("IngestCrashIT: %,d updates published (%,d points after duplicates and a resume), "
                + "%,d stored, checksum published %016x = stored %016x%n", published.size(), total, stored,
                checksum(expected), checksumStored(db, expected.keySet()));
    }

    private PackagedService start(Path jar, Map<String, String> env, Path log) {
        // Full JIT (not the quick-start default): ingest runs at its real pace.
        PackagedService s = PackagedService.jar("metrics-service", jar).port("KEISEI_METRICS_PORT", FreePorts.pick())
                .env(env).log(log).jvmOptions("-Xmx256m", "-XX:+UseSerialGC").start();
        started.add(s);
        // The process is the JVM itself, not a wrapper, so SIGKILL hits the service.
        assertThat(Path.of(s.command()).getFileName().toString()).isEqualTo("java");
        return s;
    }

    /**
     * Waits until a fraction of the points is committed, SIGKILLs the JVM, checks ingest was still under
     * way, and returns how many entries the dead consumer left unacknowledged.
     */
    private static long killMidIngest(PackagedService s, PGSimpleDataSource db, StreamClient redis, long total, double fraction)
            throws Exception {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20)).until(() ->
                Db.count(db, "SELECT count(*) FROM metrics.points") >= total * fraction);
        long before = Db.count(db, "SELECT count(*) FROM metrics.points");
        int status = s.kill();
        long after = Db.count(db, "SELECT count(*) FROM metrics.points");
        long pending = redis.pending(Streams.METRICS, "metrics-service");
        System.out.printf("IngestCrashIT: SIGKILL pid %d with %,d of %,d points committed (%,d at death), exit status %d, "
                + "%,d entries left pending%n", s.pid(), before, total, after, status, pending);
        assertThat(status).as("killed by SIGKILL").isEqualTo(128 + 9);
        assertThat(after).as("ingest was still under way").isLessThan(total);
        return pending;
    }

    /**
     * Four sessions publishing round-robin: 10 metrics per update, one update every 64 steps, a spike
     * now and then; about one update in 30 published twice (a producer retry); the last session
     * resumes (attempt 2) from 1,000 updates before its end, superseding those steps.
     */
    private static List<MetricUpdate> publication() {
        Random r = new Random(7);
        List<List<MetricUpdate>> perSession = new ArrayList<>();
        long t0 = System.currentTimeMillis();
        for (int s = 0; s < SESSIONS; s++) {
            String session = "crash-it-" + s;
            List<MetricUpdate> updates = new ArrayList<>();
            for (int i = 0; i < UPDATES_PER_SESSION; i++) {
                updates.add(update(session, 1, i, t0 + i, r));
            }
            if (s == SESSIONS - 1) {
                for (int i = UPDATES_PER_SESSION - 1_000; i < UPDATES_PER_SESSION + 500; i++) {
                    updates.add(update(session, 2, i, t0 + UPDATES_PER_SESSION + i, r));
                }
            }
            perSession.add(updates);
        }
        List<MetricUpdate> out = new ArrayList<>();
        int longest = perSession.stream().mapToInt(List::size).max().orElse(0);
        for (int i = 0; i < longest; i++) {
            for (List<MetricUpdate> l : perSession) {
                if (i < l.size()) {
                    out.add(l.get(i));
                    if (r.nextInt(30) == 0) {
                        out.add(out.get(r.nextInt(out.size()))); // a duplicate of this or an earlier update
                    }
                }
            }
        }
        return out;
    }

    private static MetricUpdate update(String session, int attempt, int i, long time, Random r) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int k = 0; k < METRICS; k++) {
            m.put("it/m" + k, r.nextGaussian() * (r.nextInt(500) == 0 ? 1_000 : 1));
        }
        return MetricUpdate.of(session, attempt, i * SPACING, time, m);
    }

    /** About 20,000 updates/s in chunks of 500 (200,000 points/s, faster than ingest, so a backlog builds). */
    private static void publishPaced(StreamClient redis, List<MetricUpdate> all) {
        try {
            for (int i = 0; i < all.size(); i += 500) {
                redis.publish(Streams.METRICS, all.subList(i, Math.min(all.size(), i + 500)));
                Thread.sleep(25);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long checksum(Map<String, ReferenceModel> expected) {
        long sum = 0;
        for (Map.Entry<String, ReferenceModel> e : expected.entrySet()) {
            for (Map.Entry<ReferenceModel.Key, ReferenceModel.Value> p : e.getValue().points().entrySet()) {
                sum += pointHash(e.getKey(), p.getKey().metric(), p.getKey().step(), p.getValue().value());
            }
        }
        return sum;
    }

    private static long checksumStored(PGSimpleDataSource db, Iterable<String> sessions) throws Exception {
        long sum = 0;
        for (String s : sessions) {
            for (Map.Entry<ReferenceModel.Key, ReferenceModel.Value> p : Db.points(db, s).entrySet()) {
                sum += pointHash(s, p.getKey().metric(), p.getKey().step(), p.getValue().value());
            }
        }
        return sum;
    }

    /** Order-independent: summed over all points. */
    private static long pointHash(String session, String metric, long step, double value) {
        long h = (session + "|" + metric).hashCode();
        h = h * 1_000_003L + step;
        h = h * 1_000_003L + Double.doubleToLongBits(value);
        return h ^ (h >>> 29);
    }
}
