package io.keisei.metrics.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.keisei.common.stream.StreamPublisher;
import io.keisei.contracts.MetricUpdate;
import io.keisei.contracts.Streams;
import io.keisei.metrics.TierLevels;
import io.keisei.metrics.config.IngestConfig;
import io.keisei.metrics.persistence.HistoryQueries;
import io.keisei.metrics.persistence.TierRebuild;
import io.keisei.metrics.service.PageCursor;
import io.keisei.metrics.stream.IngestConsumer;
import io.keisei.testsupport.KeiseiInfraResource;
import io.keisei.testsupport.TestServiceCredential;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.XGroupCreateArgs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * The metrics storage benchmark (bench/metrics/README.md). Not part of the default build
 * (surefire excludes the "bench" tag). It measures:
 * <ol>
 *   <li>ingest throughput: a backlog of N points pre-published to a Redis stream, drained by a
 *       consumer group through {@link PointWriter} (points + tiers + attempts per transaction);</li>
 *   <li>end-to-end lag: updates published at a fixed rate on keisei:metrics, from XADD to commit;</li>
 *   <li>history latency: runs of N points bulk-loaded with generate_series, tiers built with
 *       {@link TierRebuild}, then many queries of each shape over HTTP, p50/p95/max.</li>
 * </ol>
 * Sizes and repetitions come from system properties (bench.ingest.sizes, bench.lag.rates,
 * bench.query.sizes, bench.queries); the report goes to stdout and to bench.out.
 */
@QuarkusTest
@Tag("bench")
@WithTestResource(KeiseiInfraResource.class)
class MetricsBenchmark {

    static final int METRICS_PER_UPDATE = 10;
    static final long INGEST_SPACING = 64;
    static final long QUERY_SPACING = 8;

    @Inject
    StreamPublisher publisher;
    @Inject
    RedisDataSource redis;
    @Inject
    MeterRegistry registry;
    @Inject
    IngestConsumer ingestion;
    @Inject
    IngestConfig ingestConfig;
    @Inject
    TierRebuild rebuild;
    @Inject
    TierLevels levels;
    @Inject
    HistoryQueries historyQueries;
    @Inject
    AgroalDataSource db;
    @Inject
    ObjectMapper json;
    @TestHTTPResource("/")
    URL base;

    final StringBuilder report = new StringBuilder();
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void run() throws Exception {
        header();
        ingest(20_000, false); // warm-up: JIT, connection pool, prepared statements; not reported
        line("## Ingest throughput (backlog drained from Redis into PostgreSQL)");
        line("");
        line("| points | updates | drain s | points/s | updates/s |");
        line("| ---: | ---: | ---: | ---: | ---: |");
        int repeat = Integer.getInteger("bench.ingest.repeat", 3);
        for (long n : longs("bench.ingest.sizes", "10000,1000000")) {
            double[] rates = new double[repeat];
            Map<String, double[]> before = phaseTotals();
            for (int i = 0; i < repeat; i++) {
                rates[i] = ingest(n, true);
            }
            Arrays.sort(rates);
            line(String.format(Locale.ROOT, "| %,d | median of %d | | **%,.0f** | |", n, repeat, rates[repeat / 2]));
            phaseProfile.put(n, delta(before, phaseTotals()));
        }
        line("");
        phaseProfile.forEach((n, phases) -> {
            double batches = phases.values().stream().mapToDouble(x -> x[0]).max().orElse(0);
            double total = phases.values().stream().mapToDouble(x -> x[1]).sum();
            line(String.format(Locale.ROOT, "Where an ingest transaction's time goes (runs of %,d points, %,.0f transactions, "
                    + "from the keisei.metrics.ingest.phase timers):", n, batches));
            line("");
            line("| phase | ms per transaction | share |");
            line("| --- | ---: | ---: |");
            phases.forEach((phase, x) -> line(String.format(Locale.ROOT, "| %s | %.1f | %.0f %% |", phase,
                    x[0] == 0 ? 0 : x[1] / x[0], total == 0 ? 0 : 100 * x[1] / total)));
            line("");
        });
        line("## End-to-end lag (XADD on keisei:metrics to commit, paced publisher)");
        line("");
        line("| updates/s | points/s | seconds | p50 ms | p95 ms | p99 ms | max ms |");
        line("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (long rate : longs("bench.lag.rates", "100,1000,5000")) {
            lag((int) rate, Integer.getInteger("bench.lag.seconds", 15));
        }
        line("");
        for (long n : longs("bench.query.sizes", "10000,1000000,10000000")) {
            query(n);
        }
        Path out = Path.of(System.getProperty("bench.out", "target/metrics-bench.md"));
        Files.writeString(out, report);
        System.out.println("\n==== metrics benchmark ====\n" + report + "\n(written to " + out.toAbsolutePath() + ")");
    }

    // ---------------------------------------------------------------- ingest

    final Map<Long, Map<String, double[]>> phaseProfile = new LinkedHashMap<>();

    /** Per ingest phase: {transactions, total ms} so far. */
    Map<String, double[]> phaseTotals() {
        Map<String, double[]> out = new java.util.TreeMap<>();
        registry.find("keisei.metrics.ingest.phase").timers().forEach(t -> out.put(t.getId().getTag("phase"),
                new double[]{t.count(), t.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)}));
        return out;
    }

    static Map<String, double[]> delta(Map<String, double[]> before, Map<String, double[]> after) {
        Map<String, double[]> out = new java.util.TreeMap<>();
        after.forEach((k, a) -> {
            double[] b = before.getOrDefault(k, new double[2]);
            out.put(k, new double[]{a[0] - b[0], a[1] - b[1]});
        });
        return out;
    }

    /** Drains a backlog of {@code points} through the service's metric consumers; returns points/s. */
    double ingest(long points, boolean report) throws Exception {
        String stream = "keisei:bench:metrics:" + UUID.randomUUID();
        String group = "bench";
        String session = "bench-ingest-" + points + "-" + UUID.randomUUID();
        int updates = (int) (points / METRICS_PER_UPDATE);
        var streams = redis.stream(String.class);
        streams.xgroupCreate(stream, group, "0", new XGroupCreateArgs().mkstream());
        long t = System.currentTimeMillis();
        for (int i = 0; i < updates; i++) {
            publisher.publish(stream, update(session, i, t + i), Long.MAX_VALUE);
        }
        long start = System.nanoTime();
        // The service's own consumer set (keisei.metrics.ingest.*), on a stream of its own.
        try (AutoCloseable consumers = ingestion.metricConsumers(stream, group, "bench-consumer")) {
            while (committed(session) < (long) updates * METRICS_PER_UPDATE) {
                Thread.sleep(20);
            }
        }
        double s = (System.nanoTime() - start) / 1e9;
        redis.key().del(stream);
        double rate = updates * METRICS_PER_UPDATE / s;
        if (report) {
            line(String.format(Locale.ROOT, "| %,d | %,d | %.1f | %,.0f | %,.0f |", (long) updates * METRICS_PER_UPDATE, updates,
                    s, rate, updates / s));
        }
        return rate;
    }

    void lag(int rate, int seconds) throws Exception {
        String session = "bench-lag-" + rate + "-" + UUID.randomUUID();
        int updates = rate * seconds;
        long[] published = new long[updates];
        List<long[]> samples = new ArrayList<>(); // {nanoTime, committed points}
        Thread sampler = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    long c = committed(session);
                    synchronized (samples) {
                        samples.add(new long[]{System.nanoTime(), c});
                    }
                    if (c >= (long) updates * METRICS_PER_UPDATE) {
                        return;
                    }
                    Thread.sleep(5);
                }
            } catch (InterruptedException | SQLException e) {
                Thread.currentThread().interrupt();
            }
        });
        sampler.start();
        long start = System.nanoTime();
        long intervalNanos = 1_000_000_000L / rate;
        for (int i = 0; i < updates; i++) {
            long due = start + i * intervalNanos;
            long early = due - System.nanoTime();
            if (early > 0) {
                // Parked, not spinning: the publisher must not take a core from the service it measures.
                LockSupport.parkNanos(early);
            }
            published[i] = System.nanoTime();
            publisher.publish(Streams.METRICS, update(session, i, System.currentTimeMillis()), Streams.METRICS_MAXLEN);
        }
        sampler.join(120_000);
        sampler.interrupt();
        double[] lags = new double[updates];
        int j = 0;
        for (int i = 0; i < updates; i++) {
            long need = (long) (i + 1) * METRICS_PER_UPDATE;
            while (j < samples.size() && samples.get(j)[1] < need) {
                j++;
            }
            lags[i] = j < samples.size() ? (samples.get(j)[0] - published[i]) / 1e6 : Double.NaN;
        }
        Arrays.sort(lags);
        line(String.format(Locale.ROOT, "| %,d | %,d | %d | %.1f | %.1f | %.1f | %.1f |", rate, rate * METRICS_PER_UPDATE,
                seconds, pct(lags, 0.50), pct(lags, 0.95), pct(lags, 0.99), lags[lags.length - 1]));
    }

    static MetricUpdate update(String session, int i, long time) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int k = 0; k < METRICS_PER_UPDATE; k++) {
            m.put("bench/m" + k, Math.sin(i / 500.0 + k) + (i % 9973 == 0 ? 50 : 0));
        }
        return MetricUpdate.of(session, 1, i * INGEST_SPACING, time, m);
    }

    /** Points committed for a session, from the coarsest tier (a few rows, whatever the run length). */
    long committed(String session) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                """
                        SELECT coalesce(sum(t.point_count), 0) FROM metrics.tiers t JOIN metrics.series s ON s.id = t.series_id
                         WHERE s.session_id = ? AND t.tier = ?""")) {
            ps.setString(1, session);
            ps.setInt(2, levels.coarsest());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    // ---------------------------------------------------------------- queries

    void query(long points) throws Exception {
        String session = "bench-query-" + points + "-" + UUID.randomUUID();
        int metrics = METRICS_PER_UPDATE;
        long stepsPerMetric = points / metrics;
        long last = (stepsPerMetric - 1) * QUERY_SPACING;
        long loadStart = System.nanoTime();
        load(session, metrics, stepsPerMetric);
        double loadS = (System.nanoTime() - loadStart) / 1e9;
        long tierStart = System.nanoTime();
        rebuild.rebuild(session);
        double tierS = (System.nanoTime() - tierStart) / 1e9;
        sql("VACUUM ANALYZE metrics.points");
        sql("VACUUM ANALYZE metrics.tiers");

        line(String.format(Locale.ROOT, "## History latency: run of %,d points (%d metrics x %,d steps, every %d steps)",
                points, metrics, stepsPerMetric, QUERY_SPACING));
        line("");
        line(String.format(Locale.ROOT, "Loaded with INSERT ... SELECT generate_series in %.1f s; tiers built by TierRebuild in %.1f s.",
                loadS, tierS));
        line("");
        line("| tier k | bucket steps | rows (this run) | points per bucket |");
        line("| ---: | ---: | ---: | ---: |");
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                """
                SELECT t.tier, count(*) FROM metrics.tiers t JOIN metrics.series s ON s.id = t.series_id
                 WHERE s.session_id = ? GROUP BY t.tier ORDER BY t.tier""")) {
            ps.setString(1, session);
            try (ResultSet rs = ps.executeQuery()) {
                line(String.format(Locale.ROOT, "| raw | 1 | %,d | 1 |", points));
                while (rs.next()) {
                    long rows = rs.getLong(2);
                    line(String.format(Locale.ROOT, "| %d | %,d | %,d | %,.1f |", rs.getInt(1), 1L << rs.getInt(1), rows,
                            (double) points / rows));
                }
            }
        }
        line("");
        line("| query | shape | answer | p50 ms | p95 ms | max ms | rows read (max) |");
        line("| --- | --- | --- | ---: | ---: | ---: | ---: |");
        Random r = new Random(points);
        String two = "names=" + enc("bench/m0,bench/m1");
        shape("whole run", "2 metrics, max_points=1000", i -> two + "&max_points=1000", session);
        for (int div : new int[]{10, 100, 1000}) {
            long width = Math.max(1, last / div);
            shape("1/" + div + " of the run", "2 metrics, max_points=1000, random window", i -> {
                long from = (long) (r.nextDouble() * Math.max(1, last - width));
                return two + "&max_points=1000&from=" + from + "&to=" + (from + width);
            }, session);
        }
        shape("whole run", "10 metrics (all), max_points=1000", i -> "max_points=1000", session);
        shape("raw page", "1 metric, limit=1000, random cursor", i -> {
            long at = (long) (r.nextDouble() * last) / QUERY_SPACING * QUERY_SPACING;
            return "names=" + enc("bench/m3") + "&limit=1000&cursor=" + new PageCursor("bench/m3", at).encode();
        }, session);
        shapePath("latest", "/metrics/latest", session);
        shapePath("names", "/metrics/names", session);
        shapePath("attempts", "/attempts", session);
        String clock = "/sessions/" + enc(session) + "/metrics/clock";
        measure("clock, whole run", "max_points=500 (default)", i -> clock);
        long clockWidth = Math.max(1, last / 10);
        measure("clock, 1/10 of the run", "max_points=500, random window", i -> {
            long from = (long) (r.nextDouble() * Math.max(1, last - clockWidth));
            return clock + "?from=" + from + "&to=" + (from + clockWidth);
        });
        line("");
        clockSql(session);
        naive(session, last);
        sizes(session);
        line("");
    }

    void load(String session, int metrics, long steps) throws SQLException {
        sql("INSERT INTO metrics.attempts VALUES ('" + session + "', 1, 0, " + (steps - 1) * QUERY_SPACING + ", now())");
        for (int m = 0; m < metrics; m++) {
            try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                    WITH series AS (INSERT INTO metrics.series (session_id, metric) VALUES (?, ?) RETURNING id)
                    INSERT INTO metrics.points (series_id, step, value, attempt, wall_time)
                    SELECT series.id, s * ?, sin(s / 5000.0) + random() * 0.1
                           + CASE WHEN (s * 7 + ?) % 99991 = 0 THEN 50 ELSE 0 END, 1,
                           now() - interval '1 day' + s * interval '1 ms'
                      FROM series, generate_series(0, ?) s""")) {
                ps.setString(1, session);
                ps.setString(2, "bench/m" + m);
                ps.setLong(3, QUERY_SPACING);
                ps.setInt(4, m);
                ps.setLong(5, steps - 1);
                ps.executeUpdate();
            }
        }
    }

    void shape(String name, String shape, IntFunction<String> params, String session) throws Exception {
        measure(name, shape, i -> "/sessions/" + enc(session) + "/metrics?" + params.apply(i));
    }

    void shapePath(String name, String path, String session) throws Exception {
        measure(name, "GET " + path, i -> "/sessions/" + enc(session) + path);
    }

    void measure(String name, String shape, IntFunction<String> uri) throws Exception {
        int warmup = Integer.getInteger("bench.warmup", 20);
        int n = Integer.getInteger("bench.queries", 200);
        double[] ms = new double[n];
        long rowsMax = 0;
        String answer = "";
        for (int i = -warmup; i < n; i++) {
            String u = uri.apply(i);
            HttpRequest req = TestServiceCredential.request(URI.create(base.toString().replaceAll("/$", "") + u)).build();
            long t0 = System.nanoTime();
            HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            long t1 = System.nanoTime();
            if (res.statusCode() != 200) {
                throw new IllegalStateException(u + " answered " + res.statusCode() + ": " + new String(res.body()));
            }
            if (i >= 0) {
                ms[i] = (t1 - t0) / 1e6;
                JsonNode body = json.readTree(res.body());
                if (body.has("points") && !body.has("series")) {
                    answer = body.get("points").size() + " samples";
                }
                if (body.has("rowsRead")) {
                    rowsMax = Math.max(rowsMax, body.get("rowsRead").asLong());
                    JsonNode s0 = body.get("series").get(0);
                    answer = s0.get("resolution").asText().equals("raw")
                            ? "raw, " + s0.get("points").size() + " pts"
                            : "tier " + s0.get("tier").asInt() + ", " + s0.get("buckets").size() + " buckets";
                }
            }
        }
        Arrays.sort(ms);
        line(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %.1f | %.1f | %s |", name, shape, answer, pct(ms, 0.5),
                pct(ms, 0.95), ms[n - 1], rowsMax == 0 ? "-" : String.format(Locale.ROOT, "%,d", rowsMax)));
    }

    /** The clock's one statement alone (no HTTP, no JSON): the whole run at max_points=500. */
    void clockSql(String session) throws SQLException {
        double[] ms = new double[21];
        int samples = 0;
        for (int i = -5; i < ms.length; i++) {
            long t0 = System.nanoTime();
            samples = historyQueries.clock(session, 0, Long.MAX_VALUE, 500).size();
            if (i >= 0) {
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Arrays.sort(ms);
        line(String.format(Locale.ROOT, "The clock's statement alone (whole run, max_points=500, %d samples, in SQL, no HTTP): "
                + "median %.1f ms over %d runs.", samples, ms[ms.length / 2], ms.length));
        line("");
    }

    /** What a store without tiers would run for the whole-run view: min/max per bucket over every raw point. */
    void naive(String session, long last) throws SQLException {
        long width = Math.max(1, last / 1000 + 1);
        double[] ms = new double[5];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                    SELECT step / ? AS b, min(value), max(value), count(*) FROM metrics.points
                     WHERE series_id = (SELECT id FROM metrics.series WHERE session_id = ? AND metric = 'bench/m0')
                     GROUP BY 1 ORDER BY 1""")) {
                ps.setLong(1, width);
                ps.setString(2, session);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rs.getLong(1);
                    }
                }
            }
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        line(String.format(Locale.ROOT, "Without tiers, the same whole-run min/max view of one metric computed from raw points "
                + "(GROUP BY step / %d, in SQL, no HTTP): median %.1f ms over %d runs.", width, ms[ms.length / 2], ms.length));
        line("");
    }

    void sizes(String session) throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT pg_size_pretty(pg_total_relation_size('metrics.points')),
                       pg_size_pretty(pg_total_relation_size('metrics.tiers'))""")) {
            rs.next();
            line("Database after this load (all benchmark runs so far): points " + rs.getString(1) + " with indexes, tiers "
                    + rs.getString(2) + ".");
        }
    }

    // ---------------------------------------------------------------- helpers

    void header() throws Exception {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        String pg;
        try (Connection c = db.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version(), current_setting('fsync'), current_setting('synchronous_commit'), "
                     + "current_setting('shared_buffers')")) {
            rs.next();
            pg = rs.getString(1).split(",")[0] + " (fsync=" + rs.getString(2) + ", synchronous_commit=" + rs.getString(3)
                    + ", shared_buffers=" + rs.getString(4) + ")";
        }
        line("# metrics-service benchmark, " + ZonedDateTime.now().withNano(0));
        line("");
        line("- Machine: " + cpu + ", " + Runtime.getRuntime().availableProcessors() + " CPUs visible, load average "
                + Files.readString(Path.of("/proc/loadavg")).split(" ")[0] + " at start");
        line("- JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        line("- PostgreSQL: " + pg + ", Redis: embedded 6.2, all on the same machine");
        line("- Tier levels k: " + levels + "; ingest: " + ingestConfig.consumers() + " consumer(s), batches of up to "
                + ingestConfig.batchSize() + " updates x " + METRICS_PER_UPDATE + " metrics");
        line("");
    }

    void sql(String s) throws SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute(s);
        }
    }

    void line(String s) {
        report.append(s).append('\n');
        System.out.println(s);
    }

    static double pct(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static long[] longs(String property, String fallback) {
        String v = System.getProperty(property, fallback);
        return v.isBlank() ? new long[0] : Arrays.stream(v.split(",")).mapToLong(x -> Long.parseLong(x.trim())).toArray();
    }
}
