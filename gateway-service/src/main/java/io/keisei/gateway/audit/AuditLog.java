package io.keisei.gateway.audit;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * gateway.audit_log. A mutating call by a known caller is always recorded: written off the request
 * thread in batches, and on the request thread itself when the writer falls behind, never dropped.
 * Refusals of callers without a valid token cost no row each: they are counted per client address,
 * method, path and minute, and written as one row with the count, so a flood of them cannot crowd
 * out the calls that matter. Paths are stored escaped (control characters as \xNN) and bounded.
 */
@ApplicationScoped
public class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);
    private static final int MAX_PATH = 2048;
    private static final int BATCH = 500;
    /** Distinct refusal keys kept between flushes; beyond, a client's refusals share one "(other paths)" row. */
    private static final int MAX_REFUSAL_KEYS = 10_000;

    /** One audited call, or {@code count} identical refusals within a minute. */
    @Schema(name = "AuditEntry", description = "One audited call, or count identical refusals of callers without a valid "
            + "token within a minute (then tokenId and actor are null).")
    public record Entry(long id, Instant at, String tokenId, String actor, String role, String clientAddress, String method,
                        String path, int status, int millis, int count) {
    }

    private record Refusal(String clientAddress, String method, String path, int status, Instant minute) {
    }

    private final AgroalDataSource dataSource;
    private final BlockingQueue<Entry> pending = new ArrayBlockingQueue<>(10_000);
    private final Map<Refusal, LongAdder> refusals = new ConcurrentHashMap<>();
    private final Thread writer;
    private volatile boolean running = true;

    public AuditLog(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
        this.writer = new Thread(this::writeLoop, "audit-writer");
        writer.setDaemon(true);
        writer.start();
    }

    void onStop(@Observes ShutdownEvent ev) throws InterruptedException {
        running = false;
        writer.interrupt();
        writer.join(5_000);
        flush();
    }

    /** A mutating call by an authenticated caller. */
    public void record(String tokenId, String actor, String role, String clientAddress, String method, String path, int status,
                       int millis) {
        Entry e = new Entry(0, Instant.now(), tokenId, actor, role, clientAddress, method, escape(path), status, millis, 1);
        if (!pending.offer(e) && !insert(List.of(e))) {
            // Only when the writer is far behind and the database refuses too: say so, with what was lost.
            LOG.errorf("audit row lost: %s %s by %s -> %d", method, e.path(), actor, status);
        }
    }

    /** A mutating call refused before the caller was known (no, unknown or revoked token; its budget spent). */
    public void refused(String clientAddress, String method, String path, int status) {
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Refusal key = new Refusal(clientAddress, method, escape(path), status, minute);
        if (!refusals.containsKey(key) && refusals.size() >= MAX_REFUSAL_KEYS) {
            key = new Refusal(clientAddress, method, "(other paths)", status, minute);
        }
        refusals.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** Newest first; {@code actor} null for everyone. */
    public List<Entry> recent(String actor, int limit) throws SQLException {
        String sql = "SELECT id, at, token_id, actor, role, client_address, method, path, status, millis, count"
                + " FROM gateway.audit_log" + (actor == null ? "" : " WHERE actor = ?") + " ORDER BY at DESC, id DESC LIMIT ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (actor != null) {
                ps.setString(i++, actor);
            }
            ps.setInt(i, limit);
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9), rs.getInt(10),
                            rs.getInt(11)));
                }
            }
            return out;
        }
    }

    /** Deletes rows older than {@code keep}, in batches so a large backlog never holds a long lock; returns how many. */
    public long deleteOlderThan(Duration keep) throws SQLException {
        Timestamp cutoff = Timestamp.from(Instant.now().minus(keep));
        long deleted = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM gateway.audit_log WHERE id IN (SELECT id FROM gateway.audit_log WHERE at < ? LIMIT 10000)")) {
            int n;
            do {
                ps.setTimestamp(1, cutoff);
                n = ps.executeUpdate();
                deleted += n;
            } while (n > 0);
        }
        return deleted;
    }

    /** Writes what is pending now: queued calls and the counted refusals. */
    void flush() {
        List<Entry> calls = new ArrayList<>();
        pending.drainTo(calls);
        for (int i = 0; i < calls.size(); i += BATCH) {
            if (!insert(calls.subList(i, Math.min(calls.size(), i + BATCH)))) {
                // The database is away: keep what fits for the next flush (losing rows only if it stays away).
                calls.subList(i, calls.size()).forEach(pending::offer);
                return;
            }
        }
        List<Map.Entry<Refusal, Long>> counted = new ArrayList<>();
        for (Map.Entry<Refusal, LongAdder> r : refusals.entrySet()) {
            if (refusals.remove(r.getKey(), r.getValue())) {
                counted.add(Map.entry(r.getKey(), r.getValue().sum()));
            }
        }
        upsertRefusals(counted);
    }

    private void writeLoop() {
        while (running) {
            try {
                Entry first = pending.poll(1, TimeUnit.SECONDS);
                if (first != null && !insert(List.of(first))) {
                    pending.offer(first);
                    Thread.sleep(1_000);
                }
                flush();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("audit writer: %s", e.getMessage());
            }
        }
    }

    private boolean insert(List<Entry> entries) {
        if (entries.isEmpty()) {
            return true;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO gateway.audit_log (at, token_id, actor, role, client_address, method, path, status, millis, count)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)""")) {
            for (Entry e : entries) {
                ps.setTimestamp(1, Timestamp.from(e.at()));
                ps.setString(2, e.tokenId());
                ps.setString(3, e.actor());
                ps.setString(4, e.role());
                ps.setString(5, e.clientAddress());
                ps.setString(6, e.method());
                ps.setString(7, e.path());
                ps.setInt(8, e.status());
                ps.setInt(9, e.millis());
                ps.addBatch();
            }
            ps.executeBatch();
            return true;
        } catch (SQLException e) {
            LOG.warnf("%d audit rows not written yet: %s", entries.size(), e.getMessage());
            return false;
        }
    }

    /** One row per refusal key and minute, however often the counts are flushed within it. */
    private void upsertRefusals(List<Map.Entry<Refusal, Long>> counted) {
        if (counted.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO gateway.audit_log (at, client_address, method, path, status, millis, count, refusal_minute)
                VALUES (?, ?, ?, ?, ?, 0, ?, ?)
                ON CONFLICT (client_address, method, md5(path), status, refusal_minute) WHERE refusal_minute IS NOT NULL
                DO UPDATE SET count = LEAST(2147483647, gateway.audit_log.count::bigint + EXCLUDED.count)""")) {
            for (Map.Entry<Refusal, Long> r : counted) {
                Refusal k = r.getKey();
                Timestamp minute = Timestamp.from(k.minute());
                ps.setTimestamp(1, minute);
                ps.setString(2, k.clientAddress());
                ps.setString(3, k.method());
                ps.setString(4, k.path());
                ps.setInt(5, k.status());
                ps.setInt(6, (int) Math.min(Integer.MAX_VALUE, r.getValue()));
                ps.setTimestamp(7, minute);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            LOG.warnf("%d counted refusals not written: %s", counted.size(), e.getMessage());
        }
    }

    /** Control characters as \xNN, backslashes doubled, at most MAX_PATH characters. */
    static String escape(String path) {
        if (path == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(path.length(), MAX_PATH) + 8);
        for (int i = 0; i < path.length() && out.length() < MAX_PATH; i++) {
            char ch = path.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                out.append(String.format("\\x%02x", (int) ch));
            } else if (ch == '\\') {
                out.append("\\\\");
            } else {
                out.append(ch);
            }
        }
        if (out.length() >= MAX_PATH) {
            out.setLength(MAX_PATH);
            out.append("…");
        }
        return out.toString();
    }
}
