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
    private Supervisor supervisor;
    private String dbUrl;
    private String redisUrl;
    private String adminToken;
    private String serviceToken;
    private final Map<String, java.time.Instant> startedAt = new java.util.concurrent.ConcurrentHashMap<>();

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
        boolean leftovers = layout.externalDbUrl() == null && LeftoverServers.stopPostgres(layout.dataDir().resolve("postgres"));
        leftovers |= layout.externalRedisUrl() == null && LeftoverServers.stopRedis(layout.dataDir().resolve("redis"));
        if (leftovers) {
            LeftoverServers.awaitPortsFree(layout.services().stream().map(ServiceSpec::port).toList(), 30);
        }
        checkPorts();
        Files.createDirectories(layout.logsDir());
        AdminToken.Resolved token = AdminToken.resolve(env.get("KEISEI_ADMIN_TOKEN"), layout.tokenFile());
        serviceToken = ServiceToken.resolve(env.get(ServiceToken.ENV), layout.serviceTokenFile());
        adminToken = token.token();
        Files.writeString(layout.pidFile(), ProcessHandle.current().pid() + "\n");
        Files.deleteIfExists(layout.statusFile());

        long t0 = System.nanoTime();
        Console.line("Keisei Web UI: starting (data in " + layout.dataDir() + ")");
        String[] infra = startInfrastructure();
        dbUrl = infra[0];
        redisUrl = infra[1];
        for (ServiceSpec s : layout.services()) {
            if (stopping) {
                break;
            }
            startedAt.put(s.name(), java.time.Instant.now());
            processes.put(s.name(), startService(s, dbUrl, redisUrl, adminToken, serviceToken));
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
                    startedAt.put(POSTGRES, java.time.Instant.now());
                    postgres = PostgresServer.start(layout.dataDir().resolve("postgres"), layout.dbPort(), "keisei");
                    return postgres.jdbcUrl();
                });
        CompletableFuture<String> rd = layout.externalRedisUrl() != null
                ? CompletableFuture.completedFuture(layout.externalRedisUrl())
                : CompletableFuture.supplyAsync(() -> {
                    startedAt.put(REDIS, java.time.Instant.now());
                    redis = RedisServer.start(layout.dataDir().resolve("redis"), layout.redisPort());
                    redisProcess = redisChild(-1);
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
        List<String> cmd = new ArrayList<>(List.of(javaBinary()));
        cmd.addAll(ServiceJvm.options(s, env));
        cmd.addAll(List.of("-jar", s.runJar().toString()));
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
        supervisor = new Supervisor(layout.statusFile(), startTimeout, this, () -> stopping);
        if (postgres != null) {
            supervisor.add(new PostgresComponent(), startedAt.get(POSTGRES));
        }
        if (redis != null) {
            supervisor.add(new RedisComponent(), startedAt.get(REDIS));
        }
        for (ServiceSpec s : layout.services()) {
            supervisor.add(new ServiceComponent(s), startedAt.get(s.name()));
        }
        supervisor.writeStatus(java.time.Instant.now());
        while (!stopped.await(1, TimeUnit.SECONDS)) {
            if (!stopping) {
                supervisor.tick(java.time.Instant.now());
            }
        }
    }

    static final String POSTGRES = "postgresql";
    static final String REDIS = "redis";
    private volatile ProcessHandle redisProcess;

    /** The redis-server child of this launcher (not the one with pid {@code not}), or null. */
    private static ProcessHandle redisChild(long not) {
        return ProcessHandle.current().children()
                .filter(p -> p.pid() != not && p.info().command().map(c -> c.contains("redis")).orElse(false))
                .findFirst().orElse(null);
    }

    private static void kill(ProcessHandle p, java.time.Duration grace) {
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            p.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported by the next check
            }
        }
    }

    /** A service: a child JVM, watched by exit and /q/health/live. */
    private final class ServiceComponent implements Supervisor.Component {
        private final ServiceSpec spec;

        ServiceComponent(ServiceSpec spec) {
            this.spec = spec;
        }

        private Process process() {
            return processes.get(spec.name());
        }

        @Override
        public String name() {
            return spec.name();
        }

        @Override
        public Path log() {
            return layout.logsDir().resolve(spec.name() + ".log");
        }

        @Override
        public void start() throws IOException {
            processes.put(spec.name(), startService(spec, dbUrl, redisUrl, adminToken, serviceToken));
        }

        @Override
        public long pid() {
            return process().pid();
        }

        @Override
        public boolean alive() {
            return process().isAlive();
        }

        @Override
        public boolean healthy() {
            return HealthProbe.live(spec.port());
        }

        @Override
        public String exit() {
            Process p = process();
            return p.isAlive() ? "running" : "code " + p.exitValue();
        }

        @Override
        public void kill(java.time.Duration grace) {
            SuiteRunner.kill(process().toHandle(), grace);
        }
    }

    /** The embedded Redis: a child process, watched by exit and PING; restarts from its append-only file. */
    private final class RedisComponent implements Supervisor.Component {
        @Override
        public String name() {
            return REDIS;
        }

        @Override
        public Path log() {
            return layout.dataDir().resolve(REDIS);
        }

        @Override
        public void start() {
            ProcessHandle old = redisProcess;
            SuiteRunner.kill(old, java.time.Duration.ofSeconds(5));
            try {
                redis.close();
            } catch (RuntimeException e) {
                // already gone
            }
            redis = RedisServer.start(layout.dataDir().resolve("redis"), layout.redisPort());
            redisProcess = redisChild(old == null ? -1 : old.pid());
        }

        @Override
        public long pid() {
            ProcessHandle p = redisProcess;
            return p == null ? -1 : p.pid();
        }

        @Override
        public boolean alive() {
            ProcessHandle p = redisProcess;
            return p == null ? HealthProbe.redisPing(layout.redisPort()) : p.isAlive();
        }

        @Override
        public boolean healthy() {
            return HealthProbe.redisPing(layout.redisPort());
        }

        @Override
        public String exit() {
            return "code unknown";
        }

        @Override
        public void kill(java.time.Duration grace) {
            SuiteRunner.kill(redisProcess, grace);
        }
    }

    /**
     * The embedded PostgreSQL: pg_ctl daemonises it, so it is watched through postmaster.pid and a connection; a
     * restart after a crash is PostgreSQL's crash recovery.
     */
    private final class PostgresComponent implements Supervisor.Component {
        private final Path dir = layout.dataDir().resolve("postgres");
        private volatile long pid = LeftoverServers.postmasterPid(dir);

        @Override
        public String name() {
            return POSTGRES;
        }

        @Override
        public Path log() {
            return dir;
        }

        @Override
        public void start() {
            SuiteRunner.kill(ProcessHandle.of(pid).orElse(null), java.time.Duration.ofSeconds(10));
            try {
                postgres.close();
            } catch (RuntimeException e) {
                // already gone
            }
            postgres = PostgresServer.start(dir, layout.dbPort(), "keisei");
            pid = LeftoverServers.postmasterPid(dir);
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public boolean alive() {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }

        @Override
        public boolean healthy() {
            return HealthProbe.postgres(postgres.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
        }

        @Override
        public String exit() {
            return "code unknown";
        }

        @Override
        public void kill(java.time.Duration grace) {
            SuiteRunner.kill(ProcessHandle.of(pid).orElse(null), grace);
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
            Files.deleteIfExists(layout.statusFile());
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
