package io.keisei.metrics.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Appends points that cannot conflict with stored ones (their steps lie above their series'
 * high-water mark) with a binary COPY. This is the path almost every ingested point takes;
 * redeliveries and resumes go through {@link PointUpsert}.
 */
final class PointCopy {

    private static final String SQL =
            "COPY metrics.points (series_id, attempt, step, value, wall_time) FROM STDIN (FORMAT binary)";

    /** Field count, then per field its length and value: int4, int4, int8, float8, timestamptz. */
    private static final int ROW_BYTES = 2 + 5 * 4 + 4 + 4 + 8 + 8 + 8;

    private PointCopy() {
    }

    static void copy(Connection c, List<SeriesPoint> points) throws SQLException {
        BinaryCopy copy = new BinaryCopy(SQL, points.size() * ROW_BYTES);
        for (SeriesPoint p : points) {
            copy.row(5).int4(p.seriesId()).int4(p.attempt()).int8(p.step()).float8(p.value()).timestamptz(p.wallMillis());
        }
        copy.send(c);
    }
}
