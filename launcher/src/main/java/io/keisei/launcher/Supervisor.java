package io.keisei.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Watches the suite's components once it is ready: a component that exits, or stops answering its health check
 * for {@link #HANG_AFTER}, is killed if need be and restarted as {@link RestartPolicy} decides; one in a crash loop
 * is given up on. Each change is written to the status file ({@code data/status.json}) that {@code ./keisei status}
 * prints. Trainers are none of its business: training-service reconciles them.
 */
final class Supervisor {

    /** Consecutive failed health checks over this long mean hung. */
    static final Duration HANG_AFTER = Duration.ofSeconds(15);
    static final Duration KILL_GRACE = Duration.ofSeconds(10);
    private static final Duration HEALTH_EVERY = Duration.ofSeconds(2);

    /** One supervised thing: a service process, Redis or PostgreSQL. */
    interface Component {
        String name();

        Path log();

        /** Starts it (again); returns when it is started, not necessarily healthy. */
        void start() throws Exception;

        long pid();

        boolean alive();

        /** Its health check: /q/health/live, a PING, a connection. */
        boolean healthy();

        /** How the last run ended, e.g. "code 137". */
        String exit();

        /** SIGTERM, then SIGKILL after the grace period. */
        void kill(Duration grace);
    }

    enum State { STARTING, RUNNING, RESTARTING, GAVE_UP }

    static final class Entry {
        final Component component;
        State state = State.RUNNING;
        Instant startedAt;
        Instant lastHealthCheck = Instant.EPOCH;
        Instant unhealthySince;
        Instant restartAt;
        String lastExit;
        long pid;
        RestartPolicy.History history = RestartPolicy.History.empty();

        Entry(Component component, Instant startedAt) {
            this.component = component;
            this.startedAt = startedAt;
            this.pid = component.pid();
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Path statusFile;
    private final Duration startTimeout;
    private final Object lock;
    private final BooleanSupplier stopping;
    private Instant lastWrite = Instant.EPOCH;

    Supervisor(Path statusFile, Duration startTimeout, Object lock, BooleanSupplier stopping) {
        this.statusFile = statusFile;
        this.startTimeout = startTimeout;
        this.lock = lock;
        this.stopping = stopping;
    }

    void add(Component c, Instant startedAt) {
        entries.add(new Entry(c, startedAt));
    }

    List<Entry> entries() {
        return entries;
    }

    /** One round: checks every component, acts, writes the status file when something changed (or every 5 s). */
    void tick(Instant now) {
        boolean changed = false;
        for (Entry e : entries) {
            if (stopping.getAsBoolean()) {
                return;
            }
            changed |= check(e, now);
        }
        if (changed || Duration.between(lastWrite, now).toSeconds() >= 5) {
            writeStatus(now);
        }
    }

    private boolean check(Entry e, Instant now) {
        Component c = e.component;
        switch (e.state) {
            case STARTING, RUNNING -> {
                if (!c.alive()) {
                    fail(e, now, c.exit(), "exited (" + c.exit() + ")");
                    return true;
                }
                if (Duration.between(e.lastHealthCheck, now).compareTo(HEALTH_EVERY) < 0) {
                    return false;
                }
                e.lastHealthCheck = now;
                if (c.healthy()) {
                    e.unhealthySince = null;
                    if (e.state == State.STARTING) {
                        e.state = State.RUNNING;
                        Console.ok(String.format("%-17s restarted, healthy after %s (pid %d)", c.name(),
                                human(Duration.between(e.startedAt, now)), c.pid()));
                        return true;
                    }
                    return false;
                }
                if (e.state == State.STARTING) {
                    if (Duration.between(e.startedAt, now).compareTo(startTimeout) > 0) {
                        c.kill(KILL_GRACE);
                        fail(e, now, "not healthy", "was not healthy within " + startTimeout.toSeconds() + " s of its start");
                        return true;
                    }
                    return false;
                }
                if (e.unhealthySince == null) {
                    e.unhealthySince = now;
                    return false;
                }
                if (Duration.between(e.unhealthySince, now).compareTo(HANG_AFTER) >= 0) {
                    c.kill(KILL_GRACE);
                    fail(e, now, "hung, killed", "stopped answering its health check for "
                            + Duration.between(e.unhealthySince, now).toSeconds() + " s (killed)");
                    return true;
                }
                return false;
            }
            case RESTARTING -> {
                if (now.isBefore(e.restartAt)) {
                    return false;
                }
                synchronized (lock) {
                    if (stopping.getAsBoolean()) {
                        return false;
                    }
                    Instant started = now;
                    try {
                        c.start();
                        e.state = State.STARTING;
                        e.startedAt = started;
                        e.pid = c.pid();
                        e.unhealthySince = null;
                        e.lastHealthCheck = Instant.EPOCH;
                    } catch (Exception ex) {
                        e.startedAt = started;
                        fail(e, now, "start failed", "failed to start (" + ex.getMessage() + ")");
                    }
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private void fail(Entry e, Instant now, String lastExit, String what) {
        if (stopping.getAsBoolean()) {
            return; // the suite is stopping: exits are expected
        }
        Component c = e.component;
        e.lastExit = lastExit;
        e.unhealthySince = null;
        RestartPolicy.Decision d = RestartPolicy.decide(e.history, e.startedAt, now);
        e.history = d.next();
        if (d.giveUp()) {
            e.state = State.GAVE_UP;
            e.restartAt = null;
            Console.fail(c.name() + " " + what + " and was restarted " + d.recentRestarts() + " times in the last "
                    + RestartPolicy.LOOP_WINDOW.toMinutes() + " minutes: a crash loop; giving up on it: see " + c.log());
        } else {
            e.state = State.RESTARTING;
            e.restartAt = d.at();
            Console.fail(c.name() + " " + what + " after " + human(Duration.between(e.startedAt, now))
                    + "; restarting in " + human(d.delay()) + " (restart " + d.restartNumber() + ")");
        }
    }

    /** Writes data/status.json: one component per line, so that {@link StatusFile} reads it without a JSON library. */
    void writeStatus(Instant now) {
        lastWrite = now;
        StringBuilder sb = new StringBuilder();
        sb.append("{\"launcher_pid\": ").append(ProcessHandle.current().pid())
                .append(", \"updated_at\": \"").append(now).append("\", \"components\": [\n");
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            sb.append("  {\"name\": \"").append(e.component.name()).append('"')
                    .append(", \"state\": \"").append(e.state.name().toLowerCase(Locale.ROOT).replace('_', ' ')).append('"')
                    .append(", \"pid\": ").append(e.state == State.RESTARTING || e.state == State.GAVE_UP ? "null" : String.valueOf(e.pid))
                    .append(", \"restarts\": ").append(e.history.total())
                    .append(", \"last_exit\": ").append(e.lastExit == null ? "null" : "\"" + e.lastExit.replace("\"", "'") + "\"")
                    .append(", \"started_at\": ").append(e.state == State.RESTARTING || e.state == State.GAVE_UP ? "null"
                            : "\"" + e.startedAt + "\"")
                    .append(", \"log\": \"").append(e.component.log().toString().replace("\\", "/")).append("\"}")
                    .append(i < entries.size() - 1 ? ",\n" : "\n");
        }
        sb.append("]}\n");
        try {
            Path tmp = statusFile.resolveSibling(statusFile.getFileName() + ".tmp");
            Files.writeString(tmp, sb);
            Files.move(tmp, statusFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            // status is informational: the next change tries again
        }
    }

    static String human(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }
}
