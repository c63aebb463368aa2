package io.keisei.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Scale of the live hub (issue #23): {@code --clients} (5,000) WebSocket subscribers on one gateway replica, then the
 * same number split round robin over two replicas (the suite's gateway and a second gateway-service process beside
 * it, started from the first one's command line and environment on another port). Each client authenticates with its
 * first message (as a browser does), subscribes to one running session (round robin over the trainers') and to
 * {@code system}, and is held for {@code --seconds}; real trainers publish throughout. Reports per replica the delivery
 * latency (hub push→receive and publish→receive), messages, clients connected and refused, the gateway's max RSS and
 * CPU, and the load generator's own CPU. Limits raised for the run are listed in the report.
 *
 * <pre>java -jar bench/target/keisei-bench.jar --mode hub [--clients 5000] [--seconds 30] [--trainers 3] [--window 32]
 *     [--second-port 24090] [--gateway-gc serial|parallel|g1|zgc] [--gateway-jfr true] [--gateway-cpus 0]
 *     [--out bench/results] [--home .]</pre>
 *
 * <p>{@code --gateway-cpus} gives the gateway(s) those CPUs and everything else (the generator included) the others
 * ({@link CpuPinning}): the nearest this one machine comes to a replica with cores of its own.
 */
final class HubScale {

    private static final String GATEWAY = "gateway-service";
    private static final String GENERATOR = "load generator";
    /** The aims of issue #23, per replica. */
    private static final double AIM_P99_MS = 50;
    private static final double AIM_RSS_MB = 1024;

    private HubScale() {
    }

    /** {@code --mode hub} of the load harness; returns the exit code (0: every client held, no refusals). */
    static int run(Map<String, String> opts) {
        try {
            return measure(opts);
        } catch (Exception e) {
            e.printStackTrace();
            return 2;
        }
    }

    private static int measure(Map<String, String> opts) throws Exception {
        Path home = Path.of(opts.getOrDefault("home", ".")).toAbsolutePath().normalize();
        Path out = Path.of(opts.getOrDefault("out", home.resolve("bench/results").toString()));
        int clients = Integer.parseInt(opts.getOrDefault("clients", "5000"));
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "30"));
        int trainerCount = Integer.parseInt(opts.getOrDefault("trainers", "3"));
        int window = Integer.parseInt(opts.getOrDefault("window", "32"));
        int secondPort = Integer.parseInt(opts.getOrDefault("second-port", "24090"));
        String gatewayGc = opts.get("gateway-gc");
        CpuPinning pinning = opts.containsKey("gateway-cpus") ? CpuPinning.of(opts.get("gateway-cpus")) : null;
        int maxConnections = clients + 100;
        int unauthenticatedBudget = Math.max(64, 2 * window);
        long started = System.currentTimeMillis();

        Path data = home.resolve("bench/target/hub-data");
        Map<String, String> env = new LinkedHashMap<>(LoadHarness.jvmEnvironment(data, null));
        // All clients come from 127.0.0.1, up to `window` of them between handshake and welcome at once.
        env.put("KEISEI_WS_MAX_UNAUTHENTICATED_PER_ADDRESS", String.valueOf(unauthenticatedBudget));
        if (gatewayGc != null) {
            env.put("KEISEI_GATEWAY_GC", gatewayGc); // both replicas: the second takes the first one's command line
        }
        if (opts.containsKey("gateway-jfr")) {
            // A flight recording of each replica, to see where its CPU goes (jfr print --events jdk.ExecutionSample).
            env.merge("KEISEI_GATEWAY_JVM_OPTIONS", "-XX:StartFlightRecording=settings=profile,filename="
                    + jfrOf(data, GATEWAY), (a, b) -> a + " " + b);
        }
        List<String> raised = new ArrayList<>();
        raised.add("`KEISEI_WS_MAX_CONNECTIONS=" + maxConnections + "` on each replica (default 50): authenticated sockets per replica");
        raised.add("`KEISEI_WS_MAX_UNAUTHENTICATED_PER_ADDRESS=" + unauthenticatedBudget + "` (default 8): every client comes from "
                + "127.0.0.1, and up to " + window + " at a time are between their handshake and their welcome");
        raised.add("`KEISEI_RATE_LIMIT_PER_SECOND=1000000` (default 100), as in the load harness: all clients share one viewer token, "
                + "and each subscription to a session not yet checked costs the token one request");

        SuiteProcess suite = null;
        Process second = null;
        List<String> trainers = new ArrayList<>();
        Api admin = null;
        Report report = new Report();
        StringBuilder notes = new StringBuilder();
        int code = 0;
        try {
            log("starting the suite (ports 24080-24083), WebSocket limit " + maxConnections);
            suite = SuiteProcess.start(home, data, maxConnections, env);
            admin = new Api(suite.gateway(), suite.adminToken());
            long gateway1 = ProcessStats.services(suite.handle()).get(GATEWAY);
            long generator = ProcessHandle.current().pid();
            String fdLimits = "gateway " + openFilesLimit(gateway1) + ", load generator " + openFilesLimit(generator);
            raised.add("File descriptors: not raised; the limit (soft / hard) is " + fdLimits
                    + ", above the 5,000 sockets each side holds plus the JVM's own (the report gives the most each held)");
            raised.add("Ephemeral ports: not raised; " + portRange() + " (" + clients + " connections from 127.0.0.1 to one port per "
                    + "phase, plus the previous phase's in TIME_WAIT)");

            log("starting " + trainerCount + " real trainer(s)");
            trainers.addAll(Trainers.start(admin, trainerCount, "hub"));
            if (pinning != null) {
                log("gateway on CPU(s) " + pinning.gatewayList() + ", everything else on " + pinning.otherList());
                pinning.apply(suite.handle(), List.of(gateway1));
                raised.add("CPUs: the gateway on CPU(s) " + pinning.gatewayList() + " (`taskset`), the load generator and every "
                        + "other process (services, PostgreSQL, Redis, trainers) on " + pinning.otherList()
                        + "; in the two-replica phase both gateways share " + pinning.gatewayList());
            }
            String token = admin.createToken("hub-viewer-" + System.nanoTime() % 100000, "viewer");

            // ---- one replica ----
            Map<String, Long> pids1 = new LinkedHashMap<>();
            pids1.put(GATEWAY + " :24080", gateway1);
            pids1.put(GENERATOR, generator);
            List<Api> one = List.of(admin);
            log("one replica: " + clients + " subscribers for " + seconds + " s");
            Phase p1 = Phase.run(one, pids1, token, trainers, clients, seconds, window);
            awaitNoConnections(admin);

            // ---- two replicas ----
            log("starting a second gateway on :" + secondPort);
            second = startReplica(gateway1, secondPort, data);
            if (pinning != null) {
                pinning.apply(suite.handle(), List.of(gateway1, second.pid()));
            }
            Api admin2 = new Api(URI.create("http://127.0.0.1:" + secondPort), admin.token);
            Map<String, Long> pids2 = new LinkedHashMap<>();
            pids2.put(GATEWAY + " :24080", gateway1);
            pids2.put(GATEWAY + " :" + secondPort, second.pid());
            pids2.put(GENERATOR, generator);
            Thread.sleep(3000); // its start-up is not part of the measurement
            log("two replicas: " + clients + " subscribers round robin for " + seconds + " s");
            Phase p2 = Phase.run(List.of(admin, admin2), pids2, token, trainers, clients, seconds, window);

            // ---- report ----
            List<String> names1 = List.of(GATEWAY + " :24080");
            List<String> names2 = List.of(GATEWAY + " :24080", GATEWAY + " :" + secondPort);
            aims(report, "one replica", names1, p1);
            aims(report, "two replicas", names2, p2);
            report.heading("One replica: " + clients + " subscribers");
            report.line(table(names1, p1));
            detail(report, names1, p1, seconds);
            report.heading("Two replicas behind round robin: " + clients + " subscribers (client i → replica i % 2)");
            report.line(table(names2, p2));
            detail(report, names2, p2, seconds);
            report.heading("Garbage collection pauses over the whole run");
            report.line(gcTable(data, secondPort));

            for (Phase p : List.of(p1, p2)) {
                for (WebSocketFanout.Result r : p.results()) {
                    if (r.connected() < r.clients() || r.refused() > 0) {
                        code = 1;
                    }
                }
            }
            String header = "# Hub scale: " + String.format(Locale.ROOT, "%,d", clients) + " WebSocket subscribers on one and on two gateway "
                    + "replicas (" + LocalDate.now() + ")\n\n"
                    + Machine.describe(home) + "\n"
                    + "Command: `flock /tmp/keisei-maven.lock java -jar bench/target/keisei-bench.jar --mode hub"
                    + (gatewayGc == null ? "" : " --gateway-gc " + gatewayGc)
                    + (pinning == null ? "" : " --gateway-cpus " + opts.get("gateway-cpus")) + "` (after "
                    + "`./mvnw -B -o -q -pl bench package -DskipTests`; the flock keeps builds off the two cores meanwhile). "
                    + String.format(Locale.ROOT, "Run took %.0f s.%n%n", (System.currentTimeMillis() - started) / 1000.0)
                    + "The suite runs as the load harness starts it (bench/README.md), on loopback, with " + trainerCount
                    + " real trainers publishing throughout. Each client authenticates with its first message, as a browser does, "
                    + "subscribes to one running session (round robin over the trainers') and to `system`, and once all are "
                    + "subscribed is measured for " + seconds + " s. Up to " + window + " clients connect at once. The load generator "
                    + "(one JVM, Vert.x WebSocket clients on one event loop per core), the gateways, the other three services, PostgreSQL, Redis and the trainers "
                    + (pinning == null ? "share the machine's cores: figures are upper bounds of what a deployment with its own cores sees.\n"
                    : "are kept apart: the gateway on CPU(s) " + pinning.gatewayList() + ", all the rest on " + pinning.otherList() + ".\n")
                    + "\n## Limits raised for the run\n\n" + String.join("\n", raised.stream().map(s -> "- " + s).toList()) + "\n";
            notes.append(notes(p1, p2, names1, names2));
            if (!PERFORMANCE_FAILURES.isEmpty()) {
                notes.append("- /api/v1/performance failed ").append(PERFORMANCE_FAILURES.size())
                        .append(" time(s) during the run (port: answer): ")
                        .append(String.join("; ", PERFORMANCE_FAILURES.stream().map(f -> "`" + f.replace("`", "'") + "`").toList()))
                        .append("\n");
            }
            report.heading("Notes");
            report.line(notes.toString());
            Path file = out.resolve(LocalDate.now() + "-hub-scale" + (gatewayGc == null ? "" : "-gateway-" + gatewayGc)
                    + (pinning == null ? "" : "-pinned") + ".md");
            Files.createDirectories(out);
            Files.writeString(file, report.markdown(header));
            log("report: " + file);
            report.targets().forEach(t -> log(String.format(Locale.ROOT, "  %-4s %s: %s", t.met() ? "ok" : "MISS", t.name(),
                    Double.isNaN(t.measured()) ? "n/a" : String.format(Locale.ROOT, "%.2f %s", t.measured(), t.unit()))));
        } finally {
            if (second != null) {
                log("stopping the second gateway");
                second.destroy();
                if (!second.waitFor(60, TimeUnit.SECONDS)) {
                    second.destroyForcibly();
                }
            }
            if (admin != null) {
                Trainers.stop(admin, trainers);
            }
            if (suite != null) {
                suite.close();
            }
        }
        return code;
    }

    // ---- one phase: clients over the given replicas, their processes sampled ----

    /** What one phase measured: per replica the clients' view and the gateway's own counters; per process CPU and peaks. */
    private record Phase(List<WebSocketFanout.Result> results, Map<String, Proc> procs, List<JsonNode> hubBefore,
                         List<JsonNode> hubHoldStart, List<JsonNode> hubHoldEnd, List<JsonNode> hubAfter, double machineBusyPercent,
                         double seconds, long systemPublished) {

        static Phase run(List<Api> gateways, Map<String, Long> pids, String token, List<String> sessions, int clients, int seconds,
                         int window) throws InterruptedException {
            List<JsonNode> before = new ArrayList<>();
            for (Api g : gateways) {
                before.add(hub(g));
            }
            Sampler sampler = new Sampler(pids);
            List<URI> uris = gateways.stream().map(g -> g.base).toList();
            List<JsonNode> holdStart = new ArrayList<>();
            List<JsonNode> holdEnd = new ArrayList<>();
            long[] window2 = new long[2];
            List<WebSocketFanout.Result> results = WebSocketFanout.run(uris, token, sessions, clients, seconds, window, () -> {
                gateways.forEach(g -> holdStart.add(hub(g)));
                sampler.holdStarts();
                window2[0] = System.currentTimeMillis();
            }, () -> {
                window2[1] = System.currentTimeMillis();
                sampler.holdEnds();
                gateways.forEach(g -> holdEnd.add(hub(g)));
            });
            Map<String, Proc> procs = sampler.close();
            List<JsonNode> after = new ArrayList<>();
            for (Api g : gateways) {
                after.add(hub(g));
            }
            return new Phase(results, procs, before, holdStart, holdEnd, after, sampler.machineBusyPercent(), seconds,
                    HubScale.systemPublished(window2[0], window2[1]));
        }
    }

    /** One process over a phase: CPU during the hold (% of one core), and the most RSS, descriptors and threads seen. */
    private record Proc(double cpuPercent, double maxRssMb, long maxFds, long maxThreads, double cpuSecondsPhase) {
    }

    /** Samples RSS, descriptors and threads of each process every second; CPU between the hold's start and end. */
    private static final class Sampler {
        private final Map<String, Long> pids;
        private final Map<String, long[]> peaks = new LinkedHashMap<>();
        private final Map<String, ProcessStats.Sample> first;
        private final ScheduledExecutorService every = Executors.newSingleThreadScheduledExecutor(Daemon.THREADS);
        private volatile Map<String, ProcessStats.Sample> holdStart;
        private volatile Map<String, ProcessStats.Sample> holdEnd;
        private volatile long[] machineStart;
        private volatile long[] machineEnd;
        private volatile long t0;
        private volatile long t1;

        Sampler(Map<String, Long> pids) {
            this.pids = pids;
            this.first = samples(pids);
            every.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
        }

        private void sample() {
            pids.forEach((name, pid) -> {
                long[] now = {ProcessStats.sample(pid).rssKb(), fds(pid), threads(pid)};
                synchronized (peaks) {
                    long[] p = peaks.computeIfAbsent(name, n -> new long[3]);
                    for (int i = 0; i < 3; i++) {
                        p[i] = Math.max(p[i], now[i]);
                    }
                }
            });
        }

        void holdStarts() {
            holdStart = samples(pids);
            machineStart = machineTicks();
            t0 = System.nanoTime();
        }

        void holdEnds() {
            holdEnd = samples(pids);
            machineEnd = machineTicks();
            t1 = System.nanoTime();
        }

        double machineBusyPercent() {
            if (machineStart == null || machineEnd == null) {
                return Double.NaN;
            }
            double total = machineEnd[0] - machineStart[0];
            return total <= 0 ? Double.NaN : 100.0 * (machineEnd[1] - machineStart[1]) / total;
        }

        Map<String, Proc> close() {
            sample();
            every.shutdownNow();
            Map<String, ProcessStats.Sample> last = samples(pids);
            double seconds = (t1 - t0) / 1e9;
            Map<String, Proc> out = new LinkedHashMap<>();
            pids.keySet().forEach(n -> {
                long[] p;
                synchronized (peaks) {
                    p = peaks.getOrDefault(n, new long[3]).clone();
                }
                double cpu = holdStart == null || holdEnd == null ? Double.NaN
                        : ProcessStats.cpuPercent(holdStart.get(n), holdEnd.get(n), seconds);
                out.put(n, new Proc(cpu, p[0] / 1024.0, p[1], p[2], (last.get(n).cpuTicks() - first.get(n).cpuTicks()) / 100.0));
            });
            return out;
        }

        private static Map<String, ProcessStats.Sample> samples(Map<String, Long> pids) {
            Map<String, ProcessStats.Sample> out = new LinkedHashMap<>();
            pids.forEach((name, pid) -> out.put(name, ProcessStats.sample(pid)));
            return out;
        }
    }

    // ---- the second replica ----

    /**
     * A second gateway-service beside the suite's: the first one's command line (its GC log to a file of its own) and
     * environment (read from /proc), another port; ready once /q/health/ready answers.
     */
    /** Where {@code --gateway-jfr} has a gateway write its flight recording (the second replica its own). */
    static Path jfrOf(Path data, String gateway) {
        return data.resolve(gateway + ".jfr");
    }

    static Process startReplica(long firstPid, int port, Path data) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        String ownLog = GcPauses.logOf(data, GATEWAY).toString();
        String secondLog = GcPauses.logOf(data, GATEWAY + "-2").toString();
        for (String a : nulSeparated(Path.of("/proc/" + firstPid + "/cmdline"))) {
            cmd.add(a.replace(ownLog, secondLog).replace(jfrOf(data, GATEWAY).toString(), jfrOf(data, GATEWAY + "-2").toString()));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(Files.readSymbolicLink(Path.of("/proc/" + firstPid + "/cwd")).toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        for (String kv : nulSeparated(Path.of("/proc/" + firstPid + "/environ"))) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        env.put("KEISEI_GATEWAY_PORT", String.valueOf(port));
        pb.redirectErrorStream(true);
        pb.redirectOutput(data.resolve("logs").resolve(GATEWAY + "-2.log").toFile());
        Process p = pb.start();
        URI base = URI.create("http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!SuiteProcess.ready(base)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("the second gateway did not become ready (log: " + data.resolve("logs").resolve(GATEWAY + "-2.log") + ")");
            }
            Thread.sleep(500);
        }
        return p;
    }

    private static List<String> nulSeparated(Path file) throws IOException {
        String s = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (String part : s.split("\0")) {
            if (!part.isEmpty()) {
                out.add(part);
            }
        }
        return out;
    }

    // ---- figures ----

    /** Answers of /api/v1/performance that failed (the gateway's own error), for the notes. */
    private static final List<String> PERFORMANCE_FAILURES = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * The hub's own figures (/api/v1/performance), with {@code at}: the time of the answer, ms. Tried three times: under
     * load the endpoint can fail (the failures are listed in the report).
     */
    private static JsonNode hub(Api gateway) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                JsonNode ws = gateway.json("GET", "/api/v1/performance", null).path("websocket");
                if (ws instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
                    o.put("at", System.currentTimeMillis());
                }
                return ws;
            } catch (IOException e) {
                String m = e.getMessage() == null ? e.toString() : e.getMessage();
                PERFORMANCE_FAILURES.add(gateway.base.getPort() + ": " + (m.length() > 300 ? m.substring(0, 300) + "…" : m));
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Api.JSON.createObjectNode();
    }

    /** Records resource-service published on keisei:system between two times (ms), from the suite's Redis; -1 if unknown. */
    private static long systemPublished(long fromMs, long toMs) {
        try (Jedis redis = new Jedis("127.0.0.1", 24379)) {
            return redis.xrange("keisei:system", new StreamEntryID(fromMs, 0), new StreamEntryID(toMs, Long.MAX_VALUE)).size();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Messages the hub handed to sockets per second between two of its answers. */
    private static double handedPerSecond(JsonNode from, JsonNode to) {
        if (!from.has("at") || !to.has("at")) {
            return Double.NaN;
        }
        double seconds = (to.path("at").asLong() - from.path("at").asLong()) / 1000.0;
        return seconds <= 0 ? Double.NaN : (sum(to.path("messagesSent")) - sum(from.path("messagesSent"))) / seconds;
    }

    /** Waits (at most 60 s) until the gateway holds no WebSocket, so the next phase starts from none. */
    private static void awaitNoConnections(Api gateway) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline && hub(gateway).path("connections").asInt(-1) != 0) {
            Thread.sleep(500);
        }
        Thread.sleep(2000);
    }

    private static void aims(Report report, String setup, List<String> names, Phase p) {
        for (int i = 0; i < names.size(); i++) {
            WebSocketFanout.Result r = p.results().get(i);
            String who = names.size() == 1 ? setup : setup + ", replica " + (i + 1);
            Map<String, Latencies.Row> rows = r.delivery().rows(p.seconds());
            report.target(new Report.Target("Delivery p99 < 50 ms, " + who + " (" + r.connected() + " held)",
                    "p99 hub push→receive, all types", AIM_P99_MS, val(rows, WebSocketFanout.ALL_PUSH, Latencies.Row::p99), "ms", true));
            report.target(new Report.Target("Delivery p99 < 50 ms, " + who, "p99 system_status publish→receive (not throttled)",
                    AIM_P99_MS, val(rows, "system_status publish→receive", Latencies.Row::p99), "ms", true));
            report.target(new Report.Target("RSS < 1 GB, " + who, "gateway's max RSS over the phase", AIM_RSS_MB,
                    p.procs().get(names.get(i)).maxRssMb(), "MB", true));
            report.target(new Report.Target("Clients held, " + who, "welcomed and open at the end", r.clients(), r.connected(), "",
                    false));
        }
    }

    /** The summary table: one column per replica, then the load generator. */
    private static String table(List<String> names, Phase p) {
        StringBuilder s = new StringBuilder("| figure |");
        StringBuilder rule = new StringBuilder("| --- |");
        for (int i = 0; i < names.size(); i++) {
            s.append(" replica ").append(i + 1).append(" (").append(names.get(i).substring(GATEWAY.length() + 1)).append(") |");
            rule.append(" ---: |");
        }
        s.append('\n').append(rule).append('\n');
        List<Map<String, Latencies.Row>> rows = p.results().stream().map(r -> r.delivery().rows(p.seconds())).toList();
        row(s, "clients sent to it", p, i -> String.valueOf(p.results().get(i).clients()));
        row(s, "welcomed (authenticated)", p, i -> String.valueOf(p.results().get(i).welcomed()));
        row(s, "held to the end", p, i -> String.valueOf(p.results().get(i).connected()));
        row(s, "refused (handshake failed or closed before welcome)", p, i -> String.valueOf(p.results().get(i).refused()));
        row(s, "closes and failures before the end", p, i -> closes(p.results().get(i).closes()));
        row(s, "error messages from the hub", p, i -> closes(p.results().get(i).errors()));
        row(s, "time to connect and authenticate all, s", p, i -> f1(p.results().get(i).connectSeconds()));
        row(s, "messages measured (per s)", p, i -> p.results().get(i).messages() + " ("
                + f0(p.results().get(i).messages() / p.seconds()) + ")");
        row(s, "**hub push→receive p50 / p99 / max ms** (all types)", p, i -> pct(rows.get(i), WebSocketFanout.ALL_PUSH));
        row(s, "system_status hub push→receive p50 / p99 / max ms", p, i -> pct(rows.get(i), "system_status hub push→receive"));
        row(s, "training_update hub push→receive p50 / p99 / max ms", p, i -> pct(rows.get(i), "training_update hub push→receive"));
        row(s, "game_state hub push→receive p50 / p99 / max ms", p, i -> pct(rows.get(i), "game_state hub push→receive"));
        row(s, "**system_status publish→receive p50 / p99 / max ms**", p, i -> pct(rows.get(i), "system_status publish→receive"));
        row(s, "training_update publish→receive p50 / p99 / max ms (incl. the 500 ms throttle)", p,
                i -> pct(rows.get(i), "training_update publish→receive"));
        row(s, "game_state publish→receive p50 / p99 / max ms (incl. the 250 ms throttle)", p,
                i -> pct(rows.get(i), "game_state publish→receive"));
        row(s, "**gateway max RSS MB** (whole phase)", p, i -> f0(p.procs().get(names.get(i)).maxRssMb()));
        row(s, "gateway CPU % of one core (hold)", p, i -> f0(p.procs().get(names.get(i)).cpuPercent()));
        row(s, "gateway CPU s (whole phase, incl. connecting)", p, i -> f1(p.procs().get(names.get(i)).cpuSecondsPhase()));
        row(s, "gateway max open descriptors / threads", p, i -> p.procs().get(names.get(i)).maxFds() + " / "
                + p.procs().get(names.get(i)).maxThreads());
        row(s, "hub: messages handed to sockets per s during the hold (its counter)", p,
                i -> f0(handedPerSecond(p.hubHoldStart().get(i), p.hubHoldEnd().get(i))));
        row(s, "messages its clients received per s during the hold", p, i -> f0(p.results().get(i).received() / p.seconds()));
        row(s, "clients that received nothing during the hold", p, i -> String.valueOf(p.results().get(i).silent()));
        row(s, "system_status messages per client during the hold: fewest / median / most (samples published: "
                + p.systemPublished() + ")", p, i -> {
            int[] v = p.results().get(i).systemPerClient();
            return v[0] + " / " + v[1] + " / " + v[2];
        });
        row(s, "hub's own view: system_status publish→hand-over to the socket p50 / p99 ms (its histogram since the gateway started)", p,
                i -> {
                    JsonNode h = p.hubHoldEnd().get(i).path("deliveryLatency").path("system_status");
                    return h.has("p99Ms") ? f0(h.path("p50Ms").asDouble()) + " / " + f0(h.path("p99Ms").asDouble()) : "n/a";
                });
        row(s, "hub: messages conflated for the phase's clients by the hold's end (a newer one replaced an unsent one)", p,
                i -> String.valueOf(p.hubHoldEnd().get(i).path("conflated").asLong()));
        row(s, "hub: connections rejected (its counter)", p, i -> String.valueOf(
                p.hubAfter().get(i).path("rejected").asLong() - p.hubBefore().get(i).path("rejected").asLong()));
        Proc g = p.procs().get(GENERATOR);
        s.append(String.format(Locale.ROOT, "%nLoad generator (pid %d, all clients of the phase): CPU %.0f %% of one core during the hold, "
                        + "max RSS %.0f MB, %d descriptors and %d threads at most. Whole machine during the hold, niced trainers left out: %.0f %% of its %d cores busy.%n",
                ProcessHandle.current().pid(), g.cpuPercent(), g.maxRssMb(), g.maxFds(), g.maxThreads(), p.machineBusyPercent(),
                Machine.cores()));
        return s.toString();
    }

    private static void detail(Report report, List<String> names, Phase p, int seconds) {
        for (int i = 0; i < names.size(); i++) {
            report.line("\nDelivery latency per type" + (names.size() > 1 ? ", replica " + (i + 1) : "") + ":\n");
            report.latencyTable(p.results().get(i).delivery().rows(seconds));
            report.line("Intervals between pushes each client saw, per (type, session):\n");
            report.latencyTable(p.results().get(i).intervals().rows(seconds));
        }
    }

    private static String gcTable(Path data, int secondPort) {
        StringBuilder s = new StringBuilder("| gateway | collector | pauses | total ms | p50 ms | p99 ms | max ms |\n"
                + "| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (String[] g : List.of(new String[]{":24080 (whole run)", GATEWAY}, new String[]{":" + secondPort + " (two-replica phase)", GATEWAY + "-2"})) {
            try {
                GcPauses.Summary p = GcPauses.read(GcPauses.logOf(data, g[1]));
                s.append(String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %.2f | %.2f | %.2f |%n", g[0], p.collector(),
                        p.pausesMs().size(), p.total(), p.quantile(0.5), p.quantile(0.99), p.quantile(1.0)));
            } catch (IOException e) {
                s.append("| ").append(g[0]).append(" | (no GC log) | | | | | |\n");
            }
        }
        return s.toString();
    }

    /** Facts for the notes, from the figures; the interpretation is written into the report by hand. */
    private static String notes(Phase p1, Phase p2, List<String> names1, List<String> names2) {
        Proc g1 = p1.procs().get(GENERATOR);
        Proc g2 = p2.procs().get(GENERATOR);
        double gw1 = p1.procs().get(names1.get(0)).cpuPercent();
        double gw2 = p2.procs().get(names2.get(0)).cpuPercent() + p2.procs().get(names2.get(1)).cpuPercent();
        return String.format(Locale.ROOT, "- During the hold the load generator used %.0f %% (one replica) and %.0f %% (two) of one core; the "
                        + "gateway(s) %.0f %% and %.0f %% together; the whole machine, niced trainers left out, was %.0f %% and %.0f %% busy (of %d cores). "
                        + "Where that nears 100 %%, the receive side (the generator) and the sending side wait for the same cores, and a "
                        + "latency figure is an upper bound.%n",
                g1.cpuPercent(), g2.cpuPercent(), gw1, gw2, p1.machineBusyPercent(), p2.machineBusyPercent(),
                Machine.cores());
    }

    private interface Cell {
        String at(int replica);
    }

    private static void row(StringBuilder s, String label, Phase p, Cell cell) {
        s.append("| ").append(label).append(" |");
        for (int i = 0; i < p.results().size(); i++) {
            s.append(' ').append(cell.at(i)).append(" |");
        }
        s.append('\n');
    }

    private static String pct(Map<String, Latencies.Row> rows, String label) {
        Latencies.Row r = rows.get(label);
        if (r == null || r.count() == 0) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.0f / %.0f / %.0f", r.p50(), r.p99(), r.max());
    }

    private static double val(Map<String, Latencies.Row> rows, String label, java.util.function.ToDoubleFunction<Latencies.Row> f) {
        Latencies.Row r = rows.get(label);
        return r == null || r.count() == 0 ? Double.NaN : f.applyAsDouble(r);
    }

    private static String closes(Map<String, Integer> m) {
        if (m.isEmpty()) {
            return "none";
        }
        StringBuilder s = new StringBuilder();
        m.forEach((k, v) -> s.append(s.isEmpty() ? "" : "; ").append(v).append("× ").append(k.replace("|", "/")));
        return s.toString();
    }

    private static long sum(JsonNode counts) {
        long n = 0;
        for (JsonNode v : counts) {
            n += v.asLong();
        }
        return n;
    }

    private static long fds(long pid) {
        try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return s.count();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long threads(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("Threads:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return 0;
    }

    /**
     * {total, busy} jiffies of all cores, from /proc/stat; busy leaves out niced processes (the trainers run niced and
     * take whatever the rest leaves, so the machine always looks full with them).
     */
    private static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
            long niced = Long.parseLong(f[2]);
            return new long[]{total, total - idle - niced};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String openFilesLimit(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return f[0] + " / " + f[1];
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "?";
    }

    private static String portRange() {
        try {
            // Not Files.readString: it reads a /proc file (size 0) short.
            return "the ephemeral range is " + String.join(" ", Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")))
                    .trim().replaceAll("\\s+", "-");
        } catch (IOException e) {
            return "the ephemeral range is unknown";
        }
    }

    private static String f0(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String f1(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static void log(String s) {
        System.out.println("[hub] " + s);
    }
}
