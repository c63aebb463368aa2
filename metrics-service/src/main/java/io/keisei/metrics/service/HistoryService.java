package io.keisei.metrics.service;

import io.keisei.contracts.api.Bucket;
import io.keisei.contracts.api.MetricClock;
import io.keisei.contracts.api.MetricHistory;
import io.keisei.contracts.api.MetricSeries;
import io.keisei.contracts.api.RawPoint;
import io.keisei.metrics.TierLevels;
import io.keisei.metrics.persistence.HistoryQueries.SeriesBounds;
import io.keisei.metrics.persistence.HistoryQueries;
import io.keisei.metrics.persistence.MetricQueries;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers history queries from raw points or tiers so that no answer has more than
 * {@code maxPoints} entries per metric and none reads more than about (tiers + 1) x (maxPoints + 1)
 * rows, whatever the run length.
 *
 * <p>Per metric: the coarsest tier needed is known without reading ({@code range / 2^k + 1 <= maxPoints});
 * its buckets are read, then each finer tier is read with LIMIT maxPoints + 1 while it still fits,
 * and last the raw points if every tier fitted and the range lies above the retention horizon. The
 * answer is the finest level that fits. Each bucket has min and max, so a spike is never lost.
 */
@ApplicationScoped
public class HistoryService {

    /** Validated parameters of a bucketed history query. */
    public record Query(String session, List<String> names, long from, long to, int maxPoints) {
    }

    /** Validated parameters of a raw page. */
    public record PageQuery(String session, List<String> names, long from, long to, PageCursor cursor, int limit) {
    }

    /** Validated parameters of a clock query. */
    public record ClockQuery(String session, long from, long to, int maxPoints) {
    }

    private final HistoryQueries queries;
    private final MetricQueries metrics;
    private final TierLevels levels;

    public HistoryService(HistoryQueries queries, MetricQueries metrics, TierLevels levels) {
        this.queries = queries;
        this.metrics = metrics;
        this.levels = levels;
    }

    public MetricHistory history(Query q) throws SQLException {
        List<String> names = q.names() != null ? q.names() : metrics.names(q.session());
        long[] rows = {q.names() != null ? 0 : 1};
        List<MetricSeries> out = new ArrayList<>(names.size());
        for (String metric : names) {
            out.add(series(q.session(), metric, q.from(), q.to(), q.maxPoints(), rows));
        }
        return new MetricHistory(q.session(), q.from(), openEnded(q.to()), q.maxPoints(), out, null, rows[0]);
    }

    private MetricSeries series(String session, String metric, long from, long to, int m, long[] rows) throws SQLException {
        SeriesBounds b = queries.bounds(session, metric);
        rows[0]++;
        if (b == null || from > b.lastStep() || to < b.firstStep()) {
            return raw(metric, List.of());
        }
        long lo = Math.max(from, b.firstStep());
        long hi = Math.min(to, b.lastStep());
        int start = -1;
        for (int i = 0; i < levels.count(); i++) {
            if (TierLevels.maxBuckets(lo, hi, levels.level(i)) <= m) {
                start = i;
                break;
            }
        }
        if (start < 0) {
            return regrouped(session, metric, lo, hi, m, rows);
        }
        int bestK = levels.level(start);
        List<Bucket> best = queries.tierRange(session, metric, bestK, lo, hi, m + 1);
        rows[0] += best.size();
        for (int i = start - 1; i >= 0; i--) {
            int k = levels.level(i);
            List<Bucket> finer = queries.tierRange(session, metric, k, lo, hi, m + 1);
            rows[0] += finer.size();
            if (finer.size() > m) {
                return buckets(metric, bestK, best);
            }
            best = finer;
            bestK = k;
        }
        if (lo >= b.rawFrom()) {
            List<RawPoint> raw = queries.rawRange(session, metric, lo, hi, m + 1);
            rows[0] += raw.size();
            if (raw.size() <= m) {
                return raw(metric, raw);
            }
        }
        return buckets(metric, bestK, best);
    }

    /**
     * A range wider than maxPoints buckets of the coarsest tier: merge 2^j neighbouring coarsest
     * buckets, for the smallest j that fits. Reads range / 2^coarsest rows at most.
     */
    private MetricSeries regrouped(String session, String metric, long lo, long hi, int m, long[] rows) throws SQLException {
        int coarsest = levels.coarsest();
        int k = coarsest;
        while (TierLevels.maxBuckets(lo, hi, k) > m) {
            k++;
        }
        List<Bucket> source = queries.tierRange(session, metric, coarsest, lo, hi, Integer.MAX_VALUE);
        rows[0] += source.size();
        List<Bucket> merged = new ArrayList<>();
        long width = TierLevels.width(k);
        for (Bucket x : source) {
            long start = TierLevels.bucketStart(x.start(), k);
            Bucket widened = new Bucket(start, start + width - 1, x.min(), x.max(), x.last(), x.count());
            int lastIdx = merged.size() - 1;
            if (lastIdx >= 0 && merged.get(lastIdx).start() == start) {
                merged.set(lastIdx, merge(merged.get(lastIdx), widened, start, start + width - 1));
            } else {
                merged.add(widened);
            }
        }
        return buckets(metric, k, merged);
    }

    /**
     * When the trainer reported which step: at most maxPoints samples spread evenly over the steps of the
     * range, with its first and last raw point. One statement of about maxPoints + 2 primary-key probes plus
     * two per series of the session (see {@link HistoryQueries#clock}).
     */
    public MetricClock clock(ClockQuery q) throws SQLException {
        return new MetricClock(q.session(), queries.clock(q.session(), q.from(), q.to(), q.maxPoints()));
    }

    /**
     * One page of raw points, metric after metric (sorted by name), each in step order, at most
     * {@code limit} points in all. Points that retention deleted are not returned.
     */
    public MetricHistory page(PageQuery q) throws SQLException {
        List<String> names = new ArrayList<>(q.names() != null ? q.names() : metrics.names(q.session()));
        names.sort(null);
        long rows = q.names() != null ? 0 : 1;
        int remaining = q.limit();
        List<MetricSeries> out = new ArrayList<>();
        PageCursor lastEmitted = null;
        boolean more = false;
        for (String metric : names) {
            long lo = q.from();
            if (q.cursor() != null) {
                int cmp = metric.compareTo(q.cursor().metric());
                if (cmp < 0 || (cmp == 0 && q.cursor().step() == Long.MAX_VALUE)) {
                    continue;
                }
                if (cmp == 0) {
                    lo = Math.max(lo, q.cursor().step() + 1);
                }
            }
            if (lo > q.to()) {
                continue;
            }
            // One row beyond what fits tells whether another page follows.
            List<RawPoint> pts = queries.rawRange(q.session(), metric, lo, q.to(), remaining + 1);
            rows += pts.size();
            if (pts.size() > remaining) {
                pts = pts.subList(0, remaining);
                more = true;
            }
            if (!pts.isEmpty()) {
                out.add(raw(metric, List.copyOf(pts)));
                remaining -= pts.size();
                lastEmitted = new PageCursor(metric, pts.get(pts.size() - 1).step());
            }
            if (more) {
                break;
            }
        }
        String next = more ? lastEmitted.encode() : null;
        return new MetricHistory(q.session(), q.from(), openEnded(q.to()), null, out, next, rows);
    }

    private static Long openEnded(long to) {
        return to == Long.MAX_VALUE ? null : to;
    }

    private static MetricSeries raw(String metric, List<RawPoint> points) {
        return new MetricSeries(metric, MetricSeries.RAW, null, null, points, null);
    }

    private static MetricSeries buckets(String metric, int k, List<Bucket> buckets) {
        return new MetricSeries(metric, MetricSeries.BUCKETS, k, TierLevels.width(k), null, buckets);
    }

    /** {@code earlier} widened to also cover {@code later}, whose steps all come after its own. */
    static Bucket merge(Bucket earlier, Bucket later, long newStart, long newEnd) {
        return new Bucket(newStart, newEnd, Math.min(earlier.min(), later.min()), Math.max(earlier.max(), later.max()),
                later.last(), earlier.count() + later.count());
    }
}
