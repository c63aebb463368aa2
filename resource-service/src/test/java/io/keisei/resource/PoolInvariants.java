package io.keisei.resource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples a pool's granted allocations over and over while a test hammers it, each sample one SQL
 * statement (one consistent snapshot): granted CPU, memory and GPUs must stay within capacity,
 * no GPU index may be held twice and every index must be below the GPU count.
 */
public final class PoolInvariants implements AutoCloseable {

    private static final String SAMPLE = """
            SELECT coalesce(sum(cpu_millis), 0), coalesce(sum(memory_mb), 0), coalesce(sum(gpus), 0),
                   (SELECT count(*) FROM (SELECT i FROM resource.allocations g, unnest(g.gpu_indices) i
                                           WHERE g.pool = ? AND g.state = 'granted' GROUP BY i HAVING count(*) > 1) dup),
                   (SELECT coalesce(max(i), -1) FROM resource.allocations g, unnest(g.gpu_indices) i
                     WHERE g.pool = ? AND g.state = 'granted'),
                   count(*)
              FROM resource.allocations WHERE pool = ? AND state = 'granted'""";

    private final DataSource db;
    private final String pool;
    private final Resources capacity;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong maxCpu = new AtomicLong();
    private final AtomicLong maxGranted = new AtomicLong();
    private final Thread thread;

    /** A pool of {@link SmallPoolProfile}'s size. */
    public PoolInvariants(DataSource db, String pool) {
        this(db, pool, new Resources(SmallPoolProfile.CPU, SmallPoolProfile.MEMORY, SmallPoolProfile.GPUS));
    }

    public PoolInvariants(DataSource db, String pool, Resources capacity) {
        this.db = db;
        this.pool = pool;
        this.capacity = capacity;
        this.thread = new Thread(this::run, "pool-invariants");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(SAMPLE)) {
            ps.setString(1, pool);
            ps.setString(2, pool);
            ps.setString(3, pool);
            while (running.get()) {
                check(ps);
                Thread.sleep(1); // leave the (two) cores to the system under test
            }
            check(ps);
        } catch (SQLException e) {
            violations.add("sampling failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void check(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            long cpu = rs.getLong(1);
            long memory = rs.getLong(2);
            long gpus = rs.getLong(3);
            long duplicates = rs.getLong(4);
            long maxIndex = rs.getLong(5);
            maxCpu.accumulateAndGet(cpu, Math::max);
            maxGranted.accumulateAndGet(rs.getLong(6), Math::max);
            if (cpu > capacity.cpuMillis() || memory > capacity.memoryMb() || gpus > capacity.gpus()
                    || duplicates > 0 || maxIndex >= capacity.gpus()) {
                violations.add("cpu=" + cpu + " memory=" + memory + " gpus=" + gpus + " duplicateGpuIndices=" + duplicates
                        + " maxGpuIndex=" + maxIndex);
            }
            samples.incrementAndGet();
        }
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    public long samples() {
        return samples.get();
    }

    public long maxCpu() {
        return maxCpu.get();
    }

    /** The most allocations seen granted at once. */
    public long maxGranted() {
        return maxGranted.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
    }
}
