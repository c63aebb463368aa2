package io.keisei.metrics.persistence;

import io.agroal.api.AgroalDataSource;
import io.keisei.common.stream.GroupConsumer.Received;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.MetricUpdate;
import io.keisei.metrics.BatchPlan.KnownAttempt;
import io.keisei.metrics.BatchPlan.Resume;
import io.keisei.metrics.BatchPlan;
import io.keisei.metrics.TierLevels;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes ingested batches, one transaction each: points, their tier buckets and attempt boundaries
 * commit together, so a crash before the commit leaves nothing and redelivery after it changes nothing.
 *
 * <p>Steps of a metric batch, under the advisory locks of its sessions: plan (dedupe, supersession
 * by later attempts), resolve series ids, record attempt spans, apply resumes (delete superseded
 * points), upsert the points that may be stored already, copy in the rest, merge the newly stored
 * ones into the tiers, then recompute the buckets that lost or changed a point.
 */
@ApplicationScoped
public class PointWriter {

    private static final String INSERT_EVENT = """
            INSERT INTO metrics.session_events (stream_id, session_id, type, attempt, event_time, state, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (stream_id) DO NOTHING""";

    private final AgroalDataSource dataSource;
    private final TierLevels levels;
    private final Timer lag;
    private final Counter inserted;
    private final Counter superseded;
    private final IngestPhases phases;

    public PointWriter(AgroalDataSource dataSource, TierLevels levels, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.levels = levels;
        this.phases = new IngestPhases(registry);
        this.lag = Timer.builder("keisei.metrics.ingest.lag")
                .description("from a metric update's wall time to the commit of its points")
                .publishPercentiles(0.5, 0.95, 0.99).register(registry);
        this.inserted = Counter.builder("keisei.metrics.points.inserted")
                .description("metric points stored for the first time").register(registry);
        this.superseded = Counter.builder("keisei.metrics.points.superseded")
                .description("stored points replaced or deleted by a later attempt").register(registry);
    }

    /** Stores every metric of every update; commits before returning. */
    public void writePoints(List<Received<MetricUpdate>> batch) throws SQLException {
        List<MetricUpdate> updates = new ArrayList<>(batch.size());
        batch.forEach(r -> updates.add(r.message()));
        write(updates);
        long now = System.currentTimeMillis();
        for (MetricUpdate u : updates) {
            lag.record(Duration.ofMillis(Math.max(0, now - u.time())));
        }
    }

    /** Stores decoded updates in one transaction (the stream-independent part of {@link #writePoints}). */
    public void write(List<MetricUpdate> updates) throws SQLException {
        if (updates.isEmpty()) {
            return;
        }
        TreeSet<String> sessions = new TreeSet<>();
        updates.forEach(u -> sessions.add(u.session()));
        IngestPhases.Clock clock = phases.start();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                SessionLocks.lock(c, sessions);
                clock.lap(IngestPhases.LOCK);
                Map<String, Map<Integer, KnownAttempt>> known = AttemptStore.load(c, sessions);
                BatchPlan plan = BatchPlan.of(updates, known);
                clock.lap(IngestPhases.PLAN);
                Split split = split(c, plan.points());
                clock.lap(IngestPhases.SERIES);
                AttemptStore.upsert(c, plan.spans());
                clock.lap(IngestPhases.ATTEMPTS);
                List<SeriesStep> dirty = new ArrayList<>();
                for (Resume r : plan.resumes()) {
                    dirty.addAll(ResumePurge.apply(c, r));
                }
                PointUpsert.Result upserted = PointUpsert.write(c, split.maybeStored());
                dirty.addAll(upserted.superseded());
                clock.lap(IngestPhases.UPSERT);
                PointCopy.copy(c, split.fresh());
                clock.lap(IngestPhases.COPY);
                List<SeriesPoint> stored = new ArrayList<>(split.fresh().size() + upserted.inserted().size());
                stored.addAll(split.fresh());
                stored.addAll(upserted.inserted());
                TierMerge.merge(c, stored, split.marks(), levels);
                SeriesCatalog.advance(c, SeriesCatalog.highestSteps(stored));
                clock.lap(IngestPhases.TIERS);
                for (Resume r : plan.resumes()) {
                    AttemptStore.refreshAfterResume(c, r);
                }
                TierRecompute.recompute(c, dirty, levels);
                clock.lap(IngestPhases.RECOMPUTE);
                c.commit();
                clock.lap(IngestPhases.COMMIT);
                inserted.increment(stored.size());
                superseded.increment(dirty.size());
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * The planned points with their series ids, split by the series' high-water marks: points above
     * it cannot be stored yet (the mark is read under the session locks, after every earlier batch of
     * those sessions committed), so they are copied in with no conflict check. The others may be
     * redeliveries or replace an earlier attempt's value, and go through the upsert.
     */
    private static Split split(Connection c, List<BatchPlan.Point> points) throws SQLException {
        // Plan points come grouped by series, so one key per run of equal (session, metric) suffices.
        Set<SeriesCatalog.Key> keys = new HashSet<>();
        SeriesCatalog.Key key = null;
        for (BatchPlan.Point p : points) {
            if (key == null || !key.metric().equals(p.metric()) || !key.session().equals(p.session())) {
                key = new SeriesCatalog.Key(p.session(), p.metric());
                keys.add(key);
            }
        }
        Map<SeriesCatalog.Key, SeriesCatalog.Entry> series = SeriesCatalog.resolve(c, keys);
        Map<Integer, Long> marks = new HashMap<>();
        series.values().forEach(e -> marks.put(e.id(), e.maxStep()));
        List<SeriesPoint> fresh = new ArrayList<>(points.size());
        List<SeriesPoint> maybeStored = new ArrayList<>();
        key = null;
        SeriesCatalog.Entry e = null;
        for (BatchPlan.Point p : points) {
            if (key == null || !key.metric().equals(p.metric()) || !key.session().equals(p.session())) {
                key = new SeriesCatalog.Key(p.session(), p.metric());
                e = series.get(key);
            }
            SeriesPoint sp = new SeriesPoint(e.id(), p.step(), p.value(), p.attempt(), p.wallMillis());
            (p.step() > e.maxStep() ? fresh : maybeStored).add(sp);
        }
        return new Split(fresh, maybeStored, marks);
    }

    /** Points to copy, points to upsert, and the high-water mark of every series before this batch. */
    private record Split(List<SeriesPoint> fresh, List<SeriesPoint> maybeStored, Map<Integer, Long> marks) {
    }

    /** Records lifecycle events; commits before returning. */
    public void writeEvents(List<Received<LifecycleEvent>> batch) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT_EVENT)) {
                for (Received<LifecycleEvent> r : batch) {
                    LifecycleEvent e = r.message();
                    ps.setString(1, r.id());
                    ps.setString(2, e.session());
                    ps.setString(3, e.type().wire());
                    if (e.attempt() == null) {
                        ps.setNull(4, Types.INTEGER);
                    } else {
                        ps.setInt(4, e.attempt());
                    }
                    ps.setTimestamp(5, new Timestamp(e.time()));
                    ps.setString(6, e.state());
                    ps.setString(7, e.reason());
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException ex) {
                c.rollback();
                throw ex;
            }
        }
    }
}
