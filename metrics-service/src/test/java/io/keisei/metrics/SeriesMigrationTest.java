package io.keisei.metrics;

import io.keisei.testsupport.TestInfrastructure;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V3 (series ids) on a database that has data from V2: every point, tier row and retention horizon
 * survives under its series id, and each series' high-water mark covers every step it ever stored.
 * Runs the real migrations in a schema of its own.
 */
class SeriesMigrationTest {

    @Test
    void v3KeepsEveryPointTierAndHorizonUnderSeriesIds() throws Exception {
        TestInfrastructure infra = TestInfrastructure.get();
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setURL(infra.jdbcUrl());
        db.setUser(infra.dbUser());
        db.setPassword(infra.dbPassword());
        String schema = "migration_" + UUID.randomUUID().toString().replace("-", "");
        flyway(db, schema, "2").migrate();
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + schema);
            st.execute("""
                    INSERT INTO points (session_id, metric, step, value, attempt, wall_time) VALUES
                      ('s1', 'loss', 0, 1.5, 1, '2026-01-01T00:00:00Z'), ('s1', 'loss', 512, -2.0, 2, '2026-01-01T00:01:00Z'),
                      ('s1', 'entropy', 256, 9.0, 1, '2026-01-01T00:00:30Z'), ('s2', 'loss', 7, 0.25, 1, '2026-01-02T00:00:00Z')""");
            // s1/old: raw points all purged by retention; only its tiers and horizon remain.
            st.execute("""
                    INSERT INTO tiers (session_id, metric, tier, bucket_start, min_value, max_value, last_value, last_step,
                                       sum_value, point_count) VALUES
                      ('s1', 'loss', 8, 0, 1.5, 1.5, 1.5, 0, 1.5, 1), ('s1', 'loss', 8, 512, -2.0, -2.0, -2.0, 512, -2.0, 1),
                      ('s1', 'old', 8, 4096, 3.0, 4.0, 4.0, 4100, 7.0, 2)""");
            st.execute("INSERT INTO raw_horizon VALUES ('s1', 'old', 4100, '2026-01-03T00:00:00Z')");
        }

        flyway(db, schema, "latest").migrate();

        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + schema);
            assertThat(rows(st, "SELECT session_id, metric, max_step FROM series ORDER BY 1, 2"))
                    .containsExactly("s1|entropy|256", "s1|loss|512", "s1|old|4100", "s2|loss|7");
            assertThat(rows(st, """
                    SELECT s.session_id, s.metric, p.step, p.value, p.attempt, p.wall_time = '2026-01-01T00:01:00Z'
                      FROM points p JOIN series s ON s.id = p.series_id ORDER BY 1, 2, 3"""))
                    .containsExactly("s1|entropy|256|9|1|f", "s1|loss|0|1.5|1|f", "s1|loss|512|-2|2|t", "s2|loss|7|0.25|1|f");
            assertThat(rows(st, """
                    SELECT s.metric, t.tier, t.bucket_start, t.min_value, t.max_value, t.last_value, t.last_step, t.sum_value,
                           t.point_count FROM tiers t JOIN series s ON s.id = t.series_id ORDER BY 1, 3"""))
                    .containsExactly("loss|8|0|1.5|1.5|1.5|0|1.5|1", "loss|8|512|-2|-2|-2|512|-2|1",
                            "old|8|4096|3|4|4|4100|7|2");
            assertThat(rows(st, "SELECT s.metric, h.purged_through_step FROM raw_horizon h JOIN series s ON s.id = h.series_id"))
                    .containsExactly("old|4100");
            // New series get ids after the migrated ones.
            st.execute("INSERT INTO series (session_id, metric) VALUES ('s3', 'x')");
            assertThat(rows(st, "SELECT count(DISTINCT id) FROM series")).containsExactly("5");
            st.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private static Flyway flyway(PGSimpleDataSource db, String schema, String target) {
        return Flyway.configure().dataSource(db).schemas(schema).createSchemas(true).locations("classpath:db/migration")
                .target(target).load();
    }

    private static List<String> rows(Statement st, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    b.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(b.toString());
            }
        }
        return out;
    }
}
