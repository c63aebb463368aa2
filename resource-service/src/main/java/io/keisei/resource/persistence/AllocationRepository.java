package io.keisei.resource.persistence;

import io.keisei.contracts.allocation.AllocationState;
import io.keisei.resource.AllocationRecord;
import io.keisei.resource.Resources;
import io.keisei.resource.Role;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * resource.allocations. Every method works on the caller's connection, so admission can read and
 * write a pool's allocations in the transaction that holds the pool lock.
 */
@ApplicationScoped
public class AllocationRepository {

    private static final String COLUMNS = "id, session, owner, role, priority, pool, state, cpu_millis, memory_mb, gpus, "
            + "gpu_indices, reason, created_at, granted_at, released_at, lease_expires_at";
    private static final String SELECT = "SELECT " + COLUMNS + ", preempted_at, node, kueue_queue FROM resource.allocations";
    /** Namespaces this service's advisory locks (the first key of pg_advisory_xact_lock(int, int)): ASCII "keis". */
    private static final int OWNER_LOCK_SPACE = 0x6b656973;
    private static final String LIVE = "state IN ('queued', 'granted')";

    /** The database clock, so that every replica orders requests by the same time. */
    public Instant now(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT clock_timestamp()"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    /** Bounds how long the current transaction waits for row locks (SQLState 55P03 past it). */
    public void lockTimeout(Connection c, long millis) throws SQLException {
        try (var st = c.createStatement()) {
            st.execute("SET LOCAL lock_timeout = '" + Math.max(1, millis) + "ms'");
        }
    }

    public void insert(Connection c, AllocationRecord a) throws SQLException {
        String sql = "INSERT INTO resource.allocations (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, UUID.fromString(a.id()));
            ps.setString(2, a.session());
            ps.setString(3, a.owner());
            ps.setString(4, a.role().wire());
            ps.setInt(5, a.priority());
            ps.setString(6, a.pool());
            ps.setString(7, a.state().wire());
            ps.setLong(8, a.need().cpuMillis());
            ps.setLong(9, a.need().memoryMb());
            ps.setInt(10, a.need().gpus());
            ps.setArray(11, c.createArrayOf("integer", a.gpuIndices().toArray(Integer[]::new)));
            ps.setString(12, a.reason());
            ps.setTimestamp(13, ts(a.createdAt()));
            ps.setTimestamp(14, ts(a.grantedAt()));
            ps.setTimestamp(15, ts(a.releasedAt()));
            ps.setTimestamp(16, ts(a.leaseExpiresAt()));
            ps.executeUpdate();
        }
    }

    public Optional<AllocationRecord> find(Connection c, String id) throws SQLException {
        List<AllocationRecord> found = query(c, SELECT + " WHERE id = ?", UUID.fromString(id));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** The pool of an allocation (it never changes), to know which pool to lock. */
    public Optional<String> poolOf(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pool FROM resource.allocations WHERE id = ?")) {
            ps.setObject(1, UUID.fromString(id));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** The queued and granted allocations of a pool. */
    public List<AllocationRecord> live(Connection c, String pool) throws SQLException {
        return query(c, SELECT + " WHERE pool = ? AND " + LIVE, pool);
    }

    public Optional<AllocationRecord> liveForSession(Connection c, String session) throws SQLException {
        List<AllocationRecord> found = query(c, SELECT + " WHERE session = ? AND " + LIVE, session);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** The live allocations of a session created at or before {@code upTo}. */
    public List<AllocationRecord> liveForSessionUpTo(Connection c, String session, Instant upTo) throws SQLException {
        return query(c, SELECT + " WHERE session = ? AND " + LIVE + " AND created_at <= ?", session, ts(upTo));
    }

    /**
     * Grants a queued allocation with its GPUs, on {@code node} in a cluster pool (null on the local host), and a
     * lease until {@code leaseUntil} (null = none).
     */
    public void markGranted(Connection c, String id, String node, List<Integer> gpuIndices, Instant at, Instant leaseUntil)
            throws SQLException {
        String sql = "UPDATE resource.allocations SET state = 'granted', gpu_indices = ?, granted_at = ?, reason = NULL, "
                + "lease_expires_at = ?, node = ? WHERE id = ? AND state = 'queued'";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("integer", gpuIndices.toArray(Integer[]::new)));
            ps.setTimestamp(2, ts(at));
            ps.setTimestamp(3, ts(leaseUntil));
            ps.setString(4, node);
            ps.setObject(5, UUID.fromString(id));
            expectOne(ps.executeUpdate(), id);
        }
    }

    /**
     * Puts a granted allocation back in the queue at its old place (its created_at is kept): its node, GPUs and
     * lease are dropped, {@code reason} says why.
     */
    public void markRequeued(Connection c, String id, String reason) throws SQLException {
        String sql = "UPDATE resource.allocations SET state = 'queued', gpu_indices = '{}', granted_at = NULL, "
                + "lease_expires_at = NULL, preempted_at = NULL, preempted_by = NULL, node = NULL, reason = ? "
                + "WHERE id = ? AND state = 'granted'";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, reason);
            ps.setObject(2, UUID.fromString(id));
            expectOne(ps.executeUpdate(), id);
        }
    }

    /**
     * Marks a granted allocation as a preemption victim of {@code by} (null when Kueue evicted it); it stays granted
     * until released.
     */
    public void markPreempted(Connection c, String id, String by, String reason, Instant at) throws SQLException {
        String sql = "UPDATE resource.allocations SET preempted_at = ?, preempted_by = ?, reason = ? "
                + "WHERE id = ? AND state = 'granted' AND preempted_at IS NULL";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, ts(at));
            ps.setObject(2, by == null ? null : UUID.fromString(by));
            ps.setString(3, reason);
            ps.setObject(4, UUID.fromString(id));
            expectOne(ps.executeUpdate(), id);
        }
    }

    /**
     * Takes the transaction-scoped advisory lock of each owner, in sorted order (so that two
     * transactions never wait for each other in a cycle). Whoever grants to an owner holds its
     * lock, so quota counts read under it stay true until commit, across pools and replicas.
     */
    public void lockOwners(Connection c, Collection<String> owners) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
            for (String owner : new TreeSet<>(owners)) {
                ps.setInt(1, OWNER_LOCK_SPACE);
                ps.setString(2, owner);
                ps.executeQuery().close();
            }
        }
    }

    /** How many granted allocations each of {@code owners} holds in pools other than {@code pool}. */
    public Map<String, Integer> grantedPerOwnerOutside(Connection c, String pool, Collection<String> owners)
            throws SQLException {
        Map<String, Integer> out = new HashMap<>();
        if (owners.isEmpty()) {
            return out;
        }
        String sql = "SELECT owner, count(*) FROM resource.allocations "
                // handed to Kueue, it holds its owner's place while Kueue decides (docs/deploy.md#kueue-admission)
                + "WHERE (state = 'granted' OR (state = 'queued' AND kueue_queue IS NOT NULL)) AND pool <> ? "
                + "AND owner = ANY (?) GROUP BY owner";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, pool);
            ps.setArray(2, c.createArrayOf("text", owners.toArray(String[]::new)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return out;
    }

    /**
     * GPU-seconds the owner's allocations were granted between {@code since} and {@code now}: for each
     * allocation with GPUs, its GPU count times the overlap of [granted, released or now] with the window.
     */
    public double gpuSeconds(Connection c, String owner, Instant since, Instant now) throws SQLException {
        String sql = """
                SELECT coalesce(sum(gpus * extract(epoch FROM
                           least(coalesce(released_at, ?), ?) - greatest(granted_at, ?))), 0)
                  FROM resource.allocations
                 WHERE owner = ? AND gpus > 0 AND granted_at IS NOT NULL AND granted_at < ?
                   AND (released_at IS NULL OR released_at > ?)""";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, ts(now));
            ps.setTimestamp(2, ts(now));
            ps.setTimestamp(3, ts(since));
            ps.setString(4, owner);
            ps.setTimestamp(5, ts(now));
            ps.setTimestamp(6, ts(since));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Math.max(0, rs.getDouble(1));
            }
        }
    }

    /** Every granted allocation, in all pools (what the lease check looks at). */
    public List<AllocationRecord> granted(Connection c) throws SQLException {
        return query(c, SELECT + " WHERE state = 'granted' ORDER BY granted_at, id");
    }

    /**
     * Extends the leases of granted allocations to at least {@code until} (their trainers
     * heartbeat); a lease is never shortened.
     */
    public int extendLeases(Connection c, Collection<String> ids, Instant until) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        String sql = "UPDATE resource.allocations SET lease_expires_at = greatest(lease_expires_at, ?) "
                + "WHERE id = ANY (?) AND state = 'granted'";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, ts(until));
            ps.setArray(2, c.createArrayOf("uuid", ids.stream().map(UUID::fromString).toArray()));
            return ps.executeUpdate();
        }
    }

    /** Hands a queued allocation to Kueue's LocalQueue {@code queue} (Kueue admission), with the reason it now waits for. */
    public void markHandedToKueue(Connection c, String id, String queue, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE resource.allocations SET kueue_queue = ?, reason = ? "
                + "WHERE id = ? AND state = 'queued' AND kueue_queue IS NULL")) {
            ps.setString(1, queue);
            ps.setString(2, reason);
            ps.setObject(3, UUID.fromString(id));
            expectOne(ps.executeUpdate(), id);
        }
    }

    /** Records why a queued allocation waits (as of now; reads compute the current reason). */
    public void setReason(Connection c, String id, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE resource.allocations SET reason = ? WHERE id = ?")) {
            ps.setString(1, reason);
            ps.setObject(2, UUID.fromString(id));
            expectOne(ps.executeUpdate(), id);
        }
    }

    public void markReleased(Connection c, String id, String reason, Instant at) throws SQLException {
        String sql = "UPDATE resource.allocations SET state = 'released', reason = ?, released_at = ?, lease_expires_at = NULL "
                + "WHERE id = ? AND " + LIVE;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, reason);
            ps.setTimestamp(2, ts(at));
            ps.setObject(3, UUID.fromString(id));
            expectOne(ps.executeUpdate(), id);
        }
    }

    /**
     * Allocations in the given states, optionally of one session and one pool: live ones in
     * creation order, released ones newest first; at most {@code limit}.
     */
    public List<AllocationRecord> list(Connection c, Collection<AllocationState> states, String session, String pool,
                                       int limit) throws SQLException {
        StringBuilder sql = new StringBuilder(SELECT).append(" WHERE state = ANY (?)");
        List<Object> args = new ArrayList<>();
        args.add(states.stream().map(AllocationState::wire).toArray(String[]::new));
        if (session != null) {
            sql.append(" AND session = ?");
            args.add(session);
        }
        if (pool != null) {
            sql.append(" AND pool = ?");
            args.add(pool);
        }
        boolean releasedOnly = states.size() == 1 && states.contains(AllocationState.RELEASED);
        sql.append(releasedOnly ? " ORDER BY released_at DESC, id" : " ORDER BY created_at, id").append(" LIMIT ?");
        args.add(limit);
        return query(c, sql.toString(), args.toArray());
    }

    /** Gives granted allocations without a lease (granted before leases existed) one until {@code until}. */
    public int adoptLeases(Connection c, Collection<String> ids, Instant until) throws SQLException {
        if (ids.isEmpty()) {
            return 0;
        }
        String sql = "UPDATE resource.allocations SET lease_expires_at = ? "
                + "WHERE id = ANY (?) AND state = 'granted' AND lease_expires_at IS NULL";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, ts(until));
            ps.setArray(2, c.createArrayOf("uuid", ids.stream().map(UUID::fromString).toArray()));
            return ps.executeUpdate();
        }
    }

    private static List<AllocationRecord> query(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] instanceof String[] array) {
                    ps.setArray(i + 1, c.createArrayOf("text", array));
                } else {
                    ps.setObject(i + 1, args[i]);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<AllocationRecord> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(map(rs));
                }
                return out;
            }
        }
    }

    private static AllocationRecord map(ResultSet rs) throws SQLException {
        Array gpuArray = rs.getArray("gpu_indices");
        List<Integer> gpuIndices = gpuArray == null ? List.of() : Arrays.asList((Integer[]) gpuArray.getArray());
        return new AllocationRecord(
                rs.getObject("id", UUID.class).toString(),
                rs.getString("session"),
                rs.getString("owner"),
                Role.fromWire(rs.getString("role")).orElseThrow(),
                rs.getInt("priority"),
                rs.getString("pool"),
                AllocationState.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)),
                new Resources(rs.getLong("cpu_millis"), rs.getLong("memory_mb"), rs.getInt("gpus")),
                gpuIndices,
                rs.getString("reason"),
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("granted_at")),
                instant(rs.getTimestamp("released_at")),
                instant(rs.getTimestamp("lease_expires_at")),
                instant(rs.getTimestamp("preempted_at")),
                rs.getString("node"),
                rs.getString("kueue_queue"));
    }

    private static void expectOne(int updated, String id) {
        if (updated != 1) {
            throw new IllegalStateException("allocation " + id + " changed under the pool lock (updated " + updated + " rows)");
        }
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
