package io.keisei.common.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The relaying end of a transactional {@link Outbox}: appends committed rows to their streams in id
 * order and deletes them, in batches of {@code batchSize}, one transaction per batch. Runs on its own
 * thread: right after each commit of the writers ({@link #afterCommit} asks for a pass and returns, so
 * events leave within milliseconds without the writer's call waiting for them), and on a timer
 * ({@link #start}, every {@code interval}, which catches up after a restart or a Redis outage).
 *
 * <p>One relay at a time per table, across threads and replicas: a batch transaction first takes a
 * transaction-scoped advisory lock of the table, so rows leave in id order and no two relays send the
 * same row. At least once: a crash (or a failed commit) after the XADD and before the delete sends
 * that row again on the next pass; consumers of every stream written through an outbox are idempotent.
 */
public final class OutboxRelay implements AutoCloseable {

    /** Appends one encoded message to a stream (XADD MAXLEN ~ maxLen); throws when it cannot. */
    @FunctionalInterface
    public interface Sender {
        void send(String stream, String json, long maxLen);
    }

    /**
     * @param batchSize rows per transaction
     * @param interval  period of the timer that relays what the writers' nudges did not (a restart's backlog, a Redis outage)
     * @param lockWait  how long a nudge after commit waits for another relay (thread or replica) to finish; the timer then catches up
     * @param staleAfter a backlog whose oldest row is older than this is reported as degraded
     */
    public record Settings(int batchSize, Duration interval, Duration lockWait, Duration staleAfter) {
        public Settings {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1");
            }
        }

        public static Settings defaults() {
            return new Settings(100, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(30));
        }
    }

    /** What is waiting: rows and the age of the oldest (zero when empty), as of {@code measuredAt}. */
    public record Backlog(long rows, Duration oldestAge, Instant measuredAt) {
        public static final Backlog UNKNOWN = new Backlog(0, Duration.ZERO, Instant.EPOCH);

        public boolean staleFor(Duration staleAfter) {
            return rows > 0 && oldestAge.compareTo(staleAfter) > 0;
        }
    }

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final Outbox outbox;
    private final DataSource dataSource;
    private final Sender sender;
    private final Settings settings;
    private final String name;
    /**
     * The relay's one thread, made on first use (a relay used only through {@link #relayPending} needs none): the passes
     * asked for after commits and the timer's, never two at once in this process.
     */
    private ScheduledExecutorService worker;
    private boolean closed;
    /** A pass is asked for and has not begun: later commits' rows are read by it, so they ask for nothing more. */
    private final AtomicBoolean passAsked = new AtomicBoolean();
    private boolean timerStarted;
    private volatile boolean failing;
    private volatile Backlog backlog = Backlog.UNKNOWN;

    public OutboxRelay(Outbox outbox, DataSource dataSource, Sender sender, Settings settings) {
        this.outbox = outbox;
        this.dataSource = dataSource;
        this.sender = sender;
        this.settings = settings;
        this.name = "outbox relay of " + outbox.table();
    }

    /** The relay's thread; null once closed. */
    private synchronized ScheduledExecutorService worker() {
        if (worker == null && !closed) {
            worker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "outbox-relay-" + outbox.table());
                t.setDaemon(true);
                return t;
            });
        }
        return worker;
    }

    public Settings settings() {
        return settings;
    }

    public String table() {
        return outbox.table();
    }

    /** Starts the timer (idempotent). */
    public synchronized void start() {
        if (timerStarted || closed) {
            return;
        }
        timerStarted = true;
        long period = Math.max(1, settings.interval().toMillis());
        worker().scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops the timer and lets a pass already asked for finish (a few seconds at most); what is still in the table is
     * relayed by the next relay to run (this one after a restart).
     */
    @Override
    public void close() {
        ScheduledExecutorService w;
        synchronized (this) {
            closed = true;
            w = worker;
        }
        if (w == null) {
            return;
        }
        w.shutdown(); // cancels the timer; passes already asked for still run
        try {
            if (!w.awaitTermination(5, TimeUnit.SECONDS)) {
                w.shutdownNow();
            }
        } catch (InterruptedException e) {
            w.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Asks for a pass right after a writer's commit and returns at once: the pass runs on the relay's thread, so the
     * call answers without waiting for two more PostgreSQL round trips and an XADD, and its events follow within
     * milliseconds. Commits that ask while a pass waits to begin are relayed by it. Never throws: while relaying fails
     * (Redis down) it asks for nothing and the timer retries.
     */
    public void afterCommit() {
        if (failing || !passAsked.compareAndSet(false, true)) {
            return;
        }
        ScheduledExecutorService w = worker();
        try {
            if (w != null) {
                w.execute(this::askedPass);
                return;
            }
        } catch (RejectedExecutionException closing) {
            // shutting down, as when closed: the rows wait in the table for the next relay to run
        }
        passAsked.set(false);
    }

    private void askedPass() {
        passAsked.set(false); // from here on a commit's rows may come after this pass's read: it asks for another
        try {
            relayPending(settings.lockWait());
        } catch (Exception e) {
            failed(e);
        }
    }

    /**
     * Relays every committed row, batch after batch, waiting at most {@code lockWait} for another
     * relay. Returns how many rows this call sent, or -1 when another relay held the table for
     * longer (it is relaying them). Throws when sending or the database fails; the rows sent
     * before the failure are deleted, the others stay for the next pass.
     */
    public int relayPending(Duration lockWait) throws SQLException {
        int total = 0;
        while (true) {
            int n = relayBatch(lockWait);
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            total += n;
            if (n < settings.batchSize()) {
                return total;
            }
        }
    }

    /** One row of the outbox. */
    private record Row(long id, String stream, long maxLen, String payload) {
    }

    /** One batch in one transaction: -1 when the lock was not obtained within {@code lockWait}. */
    int relayBatch(Duration lockWait) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Row> rows = lockAndRead(c, lockWait);
                if (rows == null) {
                    c.rollback();
                    return -1;
                }
                List<Long> sent = new ArrayList<>();
                RuntimeException sendFailure = null;
                for (Row r : rows) {
                    try {
                        sender.send(r.stream(), r.payload(), r.maxLen());
                    } catch (RuntimeException e) {
                        sendFailure = e;
                        break;
                    }
                    sent.add(r.id());
                }
                if (!sent.isEmpty()) {
                    deleteAndCommit(c, sent);
                }
                c.commit(); // after deleteAndCommit the connection is idle and the driver sends nothing
                if (sendFailure != null) {
                    throw sendFailure;
                }
                return sent.size();
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            } finally {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // the connection is closed below either way
                }
            }
        }
    }

    /**
     * Takes the table's advisory lock (the one-bigint key space; services' own locks use the two-int one) and reads a
     * batch in id order, in one round trip: the relay runs on the path of every call that changes state (a start's
     * answer waits for two of them), and the lock, its time-out and the read were three. Null when the lock was not
     * obtained within {@code wait}.
     */
    private List<Row> lockAndRead(Connection c, Duration wait) throws SQLException {
        String key = "'keisei.outbox:" + outbox.table().replace("'", "''") + "'";
        boolean tryOnly = wait.isZero() || wait.isNegative();
        // The relay's commit only deletes rows already on their streams: lost in a crash, they are sent again, and every
        // consumer is idempotent. Not waiting for its WAL flush takes one fsync off the path of each call that changes state.
        String lock = "SET LOCAL synchronous_commit = off; " + (tryOnly
                ? "SELECT pg_try_advisory_xact_lock(hashtextextended(" + key + ", 0))"
                : "SET LOCAL lock_timeout = " + Math.max(1, wait.toMillis()) + "; SELECT pg_advisory_xact_lock(hashtextextended(" + key + ", 0))");
        String read = "SELECT id, stream, max_len, payload FROM " + outbox.table() + " ORDER BY id LIMIT " + settings.batchSize();
        try (Statement st = c.createStatement()) {
            boolean isResultSet = st.execute(lock + "; " + read);
            int resultSets = 0;
            List<Row> rows = new ArrayList<>();
            while (true) {
                if (isResultSet) {
                    try (ResultSet rs = st.getResultSet()) {
                        if (resultSets++ == 0) {
                            // the lock's answer: a boolean for the try, nothing to read for the wait
                            if (tryOnly && (!rs.next() || !rs.getBoolean(1))) {
                                return null;
                            }
                        } else {
                            while (rs.next()) {
                                rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4)));
                            }
                        }
                    }
                } else if (st.getUpdateCount() == -1) {
                    return rows;
                }
                isResultSet = st.getMoreResults();
            }
        } catch (SQLException e) {
            if ("55P03".equals(e.getSQLState())) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Deletes the sent rows and commits in one round trip, as {@link #lockAndRead} locks and reads in one: a relay is then
     * two round trips to PostgreSQL around the XADDs. The ids are the table's own bigints, written into the statement.
     */
    private void deleteAndCommit(Connection c, List<Long> sent) throws SQLException {
        StringBuilder sql = new StringBuilder("DELETE FROM ").append(outbox.table()).append(" WHERE id IN (");
        for (int i = 0; i < sent.size(); i++) {
            sql.append(i == 0 ? "" : ",").append(sent.get(i).longValue());
        }
        try (Statement st = c.createStatement()) {
            st.execute(sql.append("); COMMIT").toString());
        }
    }

    /** Counts the rows waiting and the age of the oldest (by the database's clock). */
    public Backlog measure() throws SQLException {
        try (Connection c = dataSource.getConnection();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), coalesce(extract(epoch FROM clock_timestamp() - min(created_at)), 0) FROM "
                     + outbox.table())) {
            rs.next();
            long rows = rs.getLong(1);
            Duration age = Duration.ofMillis(Math.max(0, Math.round(rs.getDouble(2) * 1000)));
            Backlog b = new Backlog(rows, age, Instant.now());
            backlog = b;
            return b;
        }
    }

    /** The backlog as the timer last measured it. */
    public Backlog backlog() {
        return backlog;
    }

    /** Whether the last pass failed (the timer keeps retrying). */
    public boolean failing() {
        return failing;
    }

    /** Gauges {@code keisei.outbox.backlog} (rows) and {@code keisei.outbox.oldest.age} (seconds), tagged with the table. */
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("keisei.outbox.backlog", this, r -> r.backlog().rows()).tag("table", outbox.table())
                .description("events committed but not yet on their stream").register(registry);
        Gauge.builder("keisei.outbox.oldest.age", this, r -> r.backlog().oldestAge().toMillis() / 1000.0)
                .tag("table", outbox.table()).baseUnit("seconds")
                .description("age of the oldest event not yet on its stream").register(registry);
    }

    private void tick() {
        try {
            relayPending(settings.interval());
            if (failing) {
                failing = false;
                LOG.infof("%s: relaying again", name);
            }
        } catch (Exception e) {
            failed(e);
        }
        try {
            measure();
        } catch (Exception e) {
            LOG.debugf("%s: cannot measure the backlog: %s", name, e.getMessage());
        }
    }

    private void failed(Exception e) {
        if (!failing) {
            failing = true;
            LOG.warnf("%s: cannot relay (events wait in the table and are sent once this works again): %s", name, e.getMessage());
        } else {
            LOG.debugf("%s: still cannot relay: %s", name, e.getMessage());
        }
    }
}
