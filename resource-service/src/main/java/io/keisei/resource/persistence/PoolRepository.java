package io.keisei.resource.persistence;

import io.agroal.api.AgroalDataSource;
import io.keisei.resource.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** resource.pools: one row per pool, upserted from discovery. */
@ApplicationScoped
public class PoolRepository {

    private static final String SELECT =
            "SELECT name, kind, cpu_millis, memory_mb, gpu_count, discovered_at FROM resource.pools";

    private final AgroalDataSource dataSource;

    public PoolRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void upsert(Pool pool) throws SQLException {
        String sql = """
                INSERT INTO resource.pools (name, kind, cpu_millis, memory_mb, gpu_count, discovered_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, cpu_millis = EXCLUDED.cpu_millis,
                    memory_mb = EXCLUDED.memory_mb, gpu_count = EXCLUDED.gpu_count, discovered_at = EXCLUDED.discovered_at""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, pool.name());
            ps.setString(2, pool.kind());
            ps.setLong(3, pool.cpuMillis());
            ps.setLong(4, pool.memoryMb());
            ps.setInt(5, pool.gpuCount());
            ps.setTimestamp(6, Timestamp.from(pool.discoveredAt()));
            ps.executeUpdate();
        }
    }

    /**
     * Locks the pool's row for the rest of the transaction ({@code SELECT ... FOR UPDATE}): every
     * admission, release and queue pass of a pool holds this lock, so they run one at a time.
     */
    public Optional<Pool> lock(Connection c, String name) throws SQLException {
        return one(c, SELECT + " WHERE name = ? FOR UPDATE", name);
    }

    public Optional<Pool> find(Connection c, String name) throws SQLException {
        return one(c, SELECT + " WHERE name = ?", name);
    }

    public List<String> names() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT name FROM resource.pools ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static Optional<Pool> one(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    private static Pool map(ResultSet rs) throws SQLException {
        return new Pool(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getInt(5),
                rs.getTimestamp(6).toInstant());
    }

    public List<Pool> all() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return all(c);
        }
    }

    /** Every pool, by name, on the caller's connection (e.g. inside a snapshot). */
    public List<Pool> all(Connection c) throws SQLException {
        List<Pool> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT + " ORDER BY name"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(map(rs));
            }
        }
        return out;
    }
}
