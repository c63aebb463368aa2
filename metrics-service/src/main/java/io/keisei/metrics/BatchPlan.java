package io.keisei.metrics;

import io.keisei.contracts.MetricUpdate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one ingested batch changes, decided before any write: the points to upsert (one per
 * session, metric and step), the attempt spans to record, and the resumes that supersede stored
 * points of earlier attempts.
 *
 * <p>Supersession follows TensorBoard: once attempt b has a point at step t, every point of an
 * earlier attempt at a step &gt;= t is superseded, so the curves of a resumed run line up. Points of
 * an earlier attempt that arrive late are dropped by the same rule.
 */
public final class BatchPlan {

    /** A point to upsert. */
    public record Point(String session, String metric, long step, double value, int attempt, long wallMillis) {
    }

    /** What the database already knows about one attempt. */
    public record KnownAttempt(int attempt, long firstStep, Long lastStep) {
    }

    /** The steps and start time an attempt reaches in this batch; lastStep is null when none of its points were kept. */
    public record AttemptSpan(String session, int attempt, long firstStep, Long lastStep, long startedMillis) {
    }

    /** Delete stored points of {@code session} with attempt &lt; {@code attempt} and step &gt;= {@code fromStep}. */
    public record Resume(String session, int attempt, long fromStep) {
    }

    private final List<Point> points;
    private final List<AttemptSpan> spans;
    private final List<Resume> resumes;

    private BatchPlan(List<Point> points, List<AttemptSpan> spans, List<Resume> resumes) {
        this.points = points;
        this.spans = spans;
        this.resumes = resumes;
    }

    public List<Point> points() {
        return points;
    }

    public List<AttemptSpan> spans() {
        return spans;
    }

    public List<Resume> resumes() {
        return resumes;
    }

    /**
     * @param updates decoded updates in stream order
     * @param known   attempts stored for the sessions of the batch: session to attempt to what is known
     */
    public static BatchPlan of(List<MetricUpdate> updates, Map<String, Map<Integer, KnownAttempt>> known) {
        // First step of every attempt, stored and in this batch together.
        Map<String, TreeMap<Integer, Long>> firstSteps = new HashMap<>();
        known.forEach((s, attempts) -> attempts.forEach((a, k) ->
                firstSteps.computeIfAbsent(s, x -> new TreeMap<>()).merge(a, k.firstStep(), Math::min)));
        Map<SessionAttempt, long[]> batchSpan = new LinkedHashMap<>(); // firstStep, startedMillis
        for (MetricUpdate u : updates) {
            firstSteps.computeIfAbsent(u.session(), x -> new TreeMap<>()).merge(u.attempt(), u.step(), Math::min);
            batchSpan.merge(new SessionAttempt(u.session(), u.attempt()), new long[]{u.step(), u.time()},
                    (a, b) -> new long[]{Math.min(a[0], b[0]), Math.min(a[1], b[1])});
        }

        // Candidates per series (session, then metric, in name order) in delivery order. Updates
        // arrive in step order, so each series' list is usually sorted already and its sort is linear.
        Map<String, Map<String, List<Point>>> bySeries = new TreeMap<>();
        Map<SessionAttempt, Long> keptLast = new HashMap<>();
        for (MetricUpdate u : updates) {
            if (u.step() >= supersededFrom(firstSteps.get(u.session()), u.attempt())) {
                continue;
            }
            Map<String, List<Point>> metrics = bySeries.computeIfAbsent(u.session(), x -> new TreeMap<>());
            for (Map.Entry<String, Double> e : u.metrics().entrySet()) {
                metrics.computeIfAbsent(e.getKey(), x -> new ArrayList<>())
                        .add(new Point(u.session(), e.getKey(), u.step(), e.getValue(), u.attempt(), u.time()));
            }
            keptLast.merge(new SessionAttempt(u.session(), u.attempt()), u.step(), Math::max);
        }
        List<Point> points = new ArrayList<>(updates.size() * 16);
        for (Map<String, List<Point>> metrics : bySeries.values()) {
            for (List<Point> series : metrics.values()) {
                // One point per step: the highest attempt wins; within an attempt the first delivery
                // wins, because the sort is stable.
                series.sort(BY_STEP_THEN_LATER_ATTEMPT);
                long previous = Long.MIN_VALUE;
                for (Point p : series) {
                    if (p.step() != previous) {
                        points.add(p);
                        previous = p.step();
                    }
                }
            }
        }

        List<AttemptSpan> spans = new ArrayList<>();
        List<Resume> resumes = new ArrayList<>();
        batchSpan.forEach((sa, span) -> {
            spans.add(new AttemptSpan(sa.session(), sa.attempt(), span[0], keptLast.get(sa), span[1]));
            KnownAttempt stored = known.getOrDefault(sa.session(), Map.of()).get(sa.attempt());
            if (stored != null && stored.firstStep() <= span[0]) {
                return; // this attempt's boundary did not move: its resume was already applied
            }
            long from = stored == null ? span[0] : Math.min(span[0], stored.firstStep());
            boolean overlapsEarlier = known.getOrDefault(sa.session(), Map.of()).values().stream()
                    .anyMatch(k -> k.attempt() < sa.attempt() && k.lastStep() != null && k.lastStep() >= from);
            if (overlapsEarlier) {
                resumes.add(new Resume(sa.session(), sa.attempt(), from));
            }
        });
        spans.sort(Comparator.comparing(AttemptSpan::session).thenComparingInt(AttemptSpan::attempt));
        return new BatchPlan(List.copyOf(points), List.copyOf(spans), List.copyOf(resumes));
    }

    private static final Comparator<Point> BY_STEP_THEN_LATER_ATTEMPT = (a, b) ->
            a.step() != b.step() ? Long.compare(a.step(), b.step()) : Integer.compare(b.attempt(), a.attempt());

    /** The lowest first step of any later attempt: points of {@code attempt} at or above it are superseded. */
    static long supersededFrom(TreeMap<Integer, Long> firstSteps, int attempt) {
        long from = Long.MAX_VALUE;
        if (firstSteps != null) {
            for (long f : firstSteps.tailMap(attempt, false).values()) {
                from = Math.min(from, f);
            }
        }
        return from;
    }

    private record SessionAttempt(String session, int attempt) {
    }
}
