package io.keisei.metrics.persistence;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;

/** Column arrays for {@code unnest(...)} statements: one round trip for a whole batch. */
final class SqlArrays {

    private SqlArrays() {
    }

    static <T> Array text(Connection c, List<T> rows, Function<T, String> f) throws SQLException {
        return c.createArrayOf("text", rows.stream().map(f).toArray(String[]::new));
    }

    static <T> Array int8(Connection c, List<T> rows, Function<T, Long> f) throws SQLException {
        return c.createArrayOf("int8", rows.stream().map(f).toArray(Long[]::new));
    }

    static <T> Array int4(Connection c, List<T> rows, Function<T, Integer> f) throws SQLException {
        return c.createArrayOf("int4", rows.stream().map(f).toArray(Integer[]::new));
    }

    static <T> Array float8(Connection c, List<T> rows, Function<T, Double> f) throws SQLException {
        return c.createArrayOf("float8", rows.stream().map(f).toArray(Double[]::new));
    }

    static Array int4(Connection c, int[] values) throws SQLException {
        Integer[] boxed = new Integer[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return c.createArrayOf("int4", boxed);
    }
}
