package io.keisei.launcher;

import io.keisei.infra.FreePorts;
import io.keisei.infra.PostgresServer;
import io.keisei.infra.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./keisei up}: PostgreSQL and Redis (embedded unless external ones are given), then the
 * four services as child processes; waits until all are ready, then supervises until SIGINT or
 * SIGTERM and stops everything in reverse order.
 */
public final class SuiteRunner {

    private final SuiteLayout layout;
    private final Map<String, String> env;
    private final Duration startTimeout;
    private final Map<String, Process> processes = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final CountDownLatch stopped = new CountDownLatch(1);
    private PostgresServer postgres;
    private RedisServer redis;
    private InstanceLock lock;
    private volatile boolean stopping;

    public SuiteRunner(SuiteLayout layout, Map<String, String> env) {
        this.layout = layout;
        this.env = env;
        this.startTimeout = Duration.ofSeconds(Long.parseLong(env.getOrDefault("KEISEI_START_TIMEOUT_SECONDS", "180")));
    }

    public int run() throws Exception {
        lock = InstanceLock.tryAcquire(layout.lockFile());
        if (lock == null) {
            throw new LaunchException("Keisei is already running with data in " + layout.dataDir()
                    + " (see ./keisei status, stop it with ./keisei down)");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "keisei-shutdown"));
        // Ctrl-C and `./keisei down` are the normal way to stop: handle them so a clean stop exits 0, not 130/143.
        for (String signal : new String[]{"INT", "TERM"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), sig -> new Thread(this::shutdown, "keisei-stop").start());
        }
        checkBuilt();
        checkPorts();
        Files.createDirectories(layout.logsDir());
        AdminToken.Resolved token = AdminToken.resolve(env.get("KEISEI_ADMIN_TOKEN"), layout.tokenFile());
        String serviceToken = ServiceToken.resolve(env.get(ServiceToken.ENV), layout.serviceTokenFile());
        Files.writeString(layout.pidFile(), ProcessHandle.current().pid() + "\n");

        long t0 = System.nanoTime();
        Console.line("Keisei Web UI: starting (data in " + layout.dataDir() + ")");
        String[] infra = startInfrastructure();
        String dbUrl = infra[0];
        String redisUrl = infra[1];
        for (ServiceSpec s : layout.services()) {
            if (stopping) {
                break;
            }
            processes.put(s.name(), startService(s, dbUrl, redisUrl, token.token(), serviceToken));
        }
        awaitReady(t0);
        if (stopping) {
            stopped.await();
            return 0;
        }
        Console.line("");
        Console.line("Keisei Web UI is ready: http://localhost:" + layout.gateway().port());
        Console.line("  admin token: " + token.token() + (token.generated() ? "  (new; saved in " + layout.tokenFile() + ")"
                : "  (from " + token.origin() + ")"));
        Console.line("  logs: " + layout.logsDir() + "   stop: Ctrl-C or ./keisei down");
        superviseUntilStopped();
        return 0;
    }

    private void checkBuilt() {
        for (ServiceSpec s : layout.services()) {
            if (!Files.isRegularFile(s.runJar())) {
                throw new LaunchException(s.name() + " is not built (" + s.runJar() + " is missing); run ./keisei build");
            }
        }
    }

    private void checkPorts() {
        for (ServiceSpec s : layout.services()) {
            if (FreePorts.inUse(s.port())) {
                throw new LaunchException("port " + s.port() + " is already in use (needed by " + s.name()
                        + "); free it or set " + s.portVariable());
            }
        }
        if (layout.externalDbUrl() == null && FreePorts.inUse(layout.dbPort())) {
            throw new LaunchException("port " + layout.dbPort() + " is already in use (needed by the embedded PostgreSQL); "
                    + "free it, set KEISEI_EMBEDDED_DB_PORT, or use an external server with KEISEI_DB_URL");
        }
        if (layout.externalRedisUrl() == null && FreePorts.inUse(layout.redisPort())) {
            throw new LaunchException("port " + layout.redisPort() + " is already in use (needed by the embedded Redis); "
                    + "free it, set KEISEI_EMBEDDED_REDIS_PORT, or use an external server with KEISEI_REDIS_URL");
        }
    }

    private String[] startInfrastructure() {
        long t = System.nanoTime();
        CompletableFuture<String> db = layout.externalDbUrl() != null
                ? CompletableFuture.completedFuture(layout.externalDbUrl())
                : CompletableFuture.supplyAsync(() -> {
                    postgres = PostgresServer.start(layout.dataDir().resolve("postgres"), layout.dbPort(), "keisei");
                    return postgres.jdbcUrl();
                });
        CompletableFuture<String> rd = layout.externalRedisUrl() != null
                ? CompletableFuture.completedFuture(layout.externalRedisUrl())
                : CompletableFuture.supplyAsync(() -> {
                    redis = RedisServer.start(layout.dataDir().resolve("redis"), layout.redisPort());
                    return redis.url();
                });
        String dbUrl = db.join();
        String redisUrl = rd.join();
        Console.ok(String.format("%-17s %s%s", "PostgreSQL", layout.externalDbUrl() != null ? "external " : "embedded ",
                redact(dbUrl)));
        Console.ok(String.format("%-17s %s%s  (%.1fs)", "Redis", layout.externalRedisUrl() != null ? "external " : "embedded ",
                redact(redisUrl), (System.nanoTime() - t) / 1e9));
        return new String[]{dbUrl, redisUrl};
    }

    private Process startService(ServiceSpec s, String dbUrl, String redisUrl, String adminToken, String serviceToken)
            throws IOException {
        Path log = layout.logsDir().resolve(s.name() + ".log");
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-XX:+UseSerialGC", "-Xss512k",
                "-Xmx" + env.getOrDefault("KEISEI_SERVICE_HEAP", "384m"), "-jar", s.runJar().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(layout.home().toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        serviceEnvironment(pb.environment(), layout, s, dbUrl, redisUrl, adminToken, serviceToken);
        return pb.start();
    }

    /**
     * The environment of one service, over the launcher's own ({@code penv}): every port and URL, the database and
     * Redis, the service credential for all four, the admin token for the gateway only. The internal services
     * listen on the loopback interface (KEISEI_BIND_HOST, default 127.0.0.1): only the gateway, which listens on
     * KEISEI_GATEWAY_BIND_HOST (default 0.0.0.0), calls them.
     */
    static void serviceEnvironment(Map<String, String> penv, SuiteLayout layout, ServiceSpec s, String dbUrl, String redisUrl,
                                   String adminToken, String serviceToken) {
        String internalHost = nonBlank(penv.get("KEISEI_BIND_HOST"), "127.0.0.1");
        String gatewayHost = nonBlank(penv.get("KEISEI_GATEWAY_BIND_HOST"), "0.0.0.0");
        penv.put(s.portVariable(), String.valueOf(s.port()));
        penv.put("KEISEI_DB_URL", dbUrl);
        penv.putIfAbsent("KEISEI_DB_USER", PostgresServer.USER);
        penv.putIfAbsent("KEISEI_DB_PASSWORD", PostgresServer.PASSWORD);
        penv.put("KEISEI_REDIS_URL", redisUrl);
        penv.put("KEISEI_PARENT_PID", String.valueOf(ProcessHandle.current().pid()));
        penv.put("KEISEI_DATA_DIR", layout.dataDir().toString());
        for (ServiceSpec other : layout.services()) {
            penv.put(other.portVariable(), String.valueOf(other.port()));
        }
        penv.put("KEISEI_TRAINING_URL", "http://127.0.0.1:" + layout.services().get(1).port());
        penv.put("KEISEI_METRICS_URL", "http://127.0.0.1:" + layout.services().get(2).port());
        penv.put("KEISEI_RESOURCE_URL", "http://127.0.0.1:" + layout.services().get(3).port());
        penv.put(ServiceToken.ENV, serviceToken);
        penv.remove("KEISEI_GATEWAY_BIND_HOST");
        if (s == layout.gateway()) {
            penv.put("KEISEI_BIND_HOST", gatewayHost);
            penv.put("KEISEI_ADMIN_TOKEN", adminToken);
        } else {
            penv.put("KEISEI_BIND_HOST", internalHost);
            penv.remove("KEISEI_ADMIN_TOKEN");
        }
    }

    private static String nonBlank(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private void awaitReady(long t0) throws Exception {
        Map<String, Boolean> ready = new LinkedHashMap<>();
        layout.services().forEach(s -> ready.put(s.name(), false));
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (ready.containsValue(false) && !stopping) {
            for (ServiceSpec s : layout.services()) {
                if (stopping) {
                    return;
                }
                if (ready.get(s.name())) {
                    continue;
                }
                Process p = processes.get(s.name());
                if (!p.isAlive()) {
                    Console.fail(s.name() + " exited with code " + p.exitValue() + " during start-up; last log lines:");
                    tail(layout.logsDir().resolve(s.name() + ".log"), 15).forEach(l -> Console.line("      " + l));
                    throw new LaunchException(s.name() + " failed to start (log: " + layout.logsDir().resolve(s.name() + ".log") + ")");
                }
                if (HealthProbe.ready(s.port())) {
                    ready.put(s.name(), true);
                    Console.ok(String.format("%-17s :%d  ready after %.1fs", s.name(), s.port(), (System.nanoTime() - t0) / 1e9));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new LaunchException("services not ready after " + startTimeout.toSeconds() + "s: "
                        + ready.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList()
                        + " (see " + layout.logsDir() + ")");
            }
            Thread.sleep(250);
        }
    }

    private void superviseUntilStopped() throws InterruptedException {
        if (stopping) {
            stopped.await();
            return;
        }
        Map<String, Boolean> reported = new LinkedHashMap<>();
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            for (Map.Entry<String, Process> e : processes.entrySet()) {
                if (!e.getValue().isAlive() && !stopping && reported.putIfAbsent(e.getKey(), true) == null) {
                    Console.fail(e.getKey() + " stopped unexpectedly (exit " + e.getValue().exitValue() + "); see "
                            + layout.logsDir().resolve(e.getKey() + ".log"));
                }
            }
        }
    }

    /** Stops services (SIGTERM, then SIGKILL after a grace period), then Redis, then PostgreSQL. */
    private synchronized void shutdown() {
        if (stopping) {
            return;
        }
        stopping = true;
        if (!processes.isEmpty() || postgres != null || redis != null) {
            Console.line("");
            Console.line("Keisei Web UI: stopping");
        }
        List<Map.Entry<String, Process>> reversed;
        synchronized (processes) {
            reversed = new ArrayList<>(processes.entrySet());
        }
        java.util.Collections.reverse(reversed);
        // Trainers are children of training-service: remember them before their parent goes away.
        List<ProcessHandle> trainers = reversed.stream().flatMap(e -> e.getValue().descendants()).toList();
        reversed.forEach(e -> e.getValue().destroy());
        for (Map.Entry<String, Process> e : reversed) {
            try {
                if (!e.getValue().waitFor(20, TimeUnit.SECONDS)) {
                    e.getValue().descendants().forEach(ProcessHandle::destroyForcibly);
                    e.getValue().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
                Console.ok(e.getKey() + " stopped");
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
        stopTrainers(trainers);
        // Ctrl-C in a terminal also signals these servers directly; stopping an already stopping server is fine.
        if (redis != null) {
            try {
                redis.close();
            } catch (RuntimeException e) {
                // already gone
            }
            Console.ok("Redis stopped");
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (RuntimeException e) {
                // already gone
            }
            Console.ok("PostgreSQL stopped");
        }
        try {
            Files.deleteIfExists(layout.pidFile());
        } catch (IOException e) {
            // best effort: status relies on the lock, not on this file
        }
        if (lock != null) {
            lock.close();
        }
        stopped.countDown();
    }

    /**
     * SIGTERM makes a trainer checkpoint and exit; the next start marks its session failed (its
     * supervisor was gone) and it resumes from that checkpoint.
     */
    private static void stopTrainers(List<ProcessHandle> trainers) {
        List<ProcessHandle> alive = trainers.stream().filter(ProcessHandle::isAlive).toList();
        if (alive.isEmpty()) {
            return;
        }
        alive.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (ProcessHandle t : alive) {
            try {
                t.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                t.destroyForcibly();
            }
        }
        Console.ok(alive.size() + " trainer(s) stopped after checkpointing");
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static String redact(String url) {
        return url.replaceAll("://[^@/]*@", "://***@");
    }

    static List<String> tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException | UncheckedIOException e) {
            return List.of("(no log at " + file + ")");
        }
    }
}
