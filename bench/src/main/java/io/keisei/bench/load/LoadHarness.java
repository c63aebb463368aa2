package io.keisei.bench.load;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
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

/**
 * The load harness (bench/README.md): starts the suite (or targets a running one), runs the
 * scenarios of issue #10 with raw baselines in the same run, and writes a report with every plan
 * target and its margin. {@code --mode smoke} is the CI variant (well under two minutes of load).
 */
public final class LoadHarness {

    private record Mode(String name, int trainers, int usersRate, int usersSeconds, int burstRate, int burstSeconds,
                        int[] wsClients, int wsSeconds, int stormCycles, long historySteps, int historyQueries, int baselineN) {
    }

    private static final Mode SMOKE = new Mode("smoke", 1, 50, 8, 200, 5, new int[]{50}, 6, 2, 20_000, 30, 300);
    private static final Mode FULL = new Mode("full", 5, 100, 30, 1000, 20, new int[]{50, 500, 1000}, 15, 10, 250_000, 200, 2000);

    private LoadHarness() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        if ("hub".equals(opts.get("mode"))) {
            System.exit(HubScale.run(opts)); // the hub at scale (issue #23): bench/README.md
        }
        Mode mode = "smoke".equals(opts.getOrDefault("mode", "full")) ? SMOKE : FULL;
        Path home = Path.of(opts.getOrDefault("home", ".")).toAbsolutePath().normalize();
        Path out = Path.of(opts.getOrDefault("out", home.resolve("bench/results").toString()));
        int code;
        try {
            code = run(mode, home, out, opts.get("target"), opts.get("token"), opts.get("gc"));
        } catch (Exception e) {
            e.printStackTrace();
            code = 2;
        }
        System.exit(code);
    }

    /** Runs everything; returns 0 when the run completed without request errors (targets are reported, not asserted). */
    public static int run(String modeName, Path home, Path out) throws Exception {
        return run("smoke".equals(modeName) ? SMOKE : FULL, home, out, null, null, null);
    }

    /** The four services and the prefix of their settings (KEISEI_GATEWAY_GC, ...). */
    static final Map<String, String> SERVICE_PREFIXES = Map.of("gateway-service", "KEISEI_GATEWAY",
            "training-service", "KEISEI_TRAINING", "metrics-service", "KEISEI_METRICS", "resource-service", "KEISEI_RESOURCE");

    /**
     * What the suite runs with besides the harness's guard rails: every service's GC log (its pauses go into the report),
     * after any JVM options the harness's environment gives a service, and, with {@code --gc}, one collector for all four (the default is each service's own, ServiceJvm).
     */
    static Map<String, String> jvmEnvironment(Path data, String gc) {
        Map<String, String> env = new LinkedHashMap<>();
        SERVICE_PREFIXES.forEach((service, prefix) -> {
            // The harness's own KEISEI_<SERVICE>_JVM_OPTIONS are kept (an experiment's -XX:TieredStopAtLevel=4, say).
            String own = System.getenv(prefix + "_JVM_OPTIONS");
            env.put(prefix + "_JVM_OPTIONS", (own == null || own.isBlank() ? "" : own.strip() + " ")
                    + "-Xlog:gc,gc+phases:file=" + GcPauses.logOf(data, service) + "::filecount=0");
            if (gc != null) {
                env.put(prefix + "_GC", gc);
            }
        });
        return env;
    }

    private static int run(Mode mode, Path home, Path out, String target, String token, String gc) throws Exception {
        SuiteProcess suite = null;
        long started = System.currentTimeMillis();
        Report report = new Report();
        List<String> trainers = new ArrayList<>();
        Api admin = null;
        long errors = 0;
        try {
            int maxWs = 0;
            for (int n : mode.wsClients()) {
                maxWs = Math.max(maxWs, n);
            }
            if (target == null) {
                log("starting the suite (ports 24080-24083)");
                Path data = home.resolve("bench/target/suite-data");
                suite = SuiteProcess.start(home, data, Math.max(50, maxWs + 10), jvmEnvironment(data, gc));
                admin = new Api(suite.gateway(), suite.adminToken());
            } else {
                admin = new Api(URI.create(target), token);
            }
            Map<String, Long> pids = new LinkedHashMap<>(suite != null ? ProcessStats.services(suite.handle())
                    : ProcessStats.servicesByCommandLine());
            // The generator shares the cores: its CPU per phase shows when a figure is the generator's limit, not ours.
            pids.put("load generator", ProcessHandle.current().pid());
            Thread.sleep(3000);
            Map<String, ProcessStats.Sample> idle = samples(pids);

            log("baseline: Redis XADD→XREAD round trip");
            Latencies redisRtt = suite != null ? Baselines.redisRoundTrip(suite.redisHost(), suite.redisPort(), mode.baselineN()) : new Latencies();

            log("starting " + mode.trainers() + " real trainer(s)");
            trainers.addAll(Trainers.start(admin, mode.trainers(), "bench"));
            String s0 = trainers.get(0);
            List<String> userTokens = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                userTokens.add(admin.createToken("bench-user-" + i + "-" + System.nanoTime() % 100000, "viewer"));
            }
            Api viewer = admin.as(userTokens.get(0));

            List<HttpLoad.Call> mix = List.of(
                    new HttpLoad.Call("status", "GET", "/api/v1/sessions/" + s0 + "/status", 60),
                    new HttpLoad.Call("config read", "GET", "/api/v1/config/templates", 10),
                    new HttpLoad.Call("history (live run)", "GET", "/api/v1/sessions/" + s0 + "/metrics?names=ppo/policy_loss,episode_reward_mean&max_points=1000", 10),
                    new HttpLoad.Call("sessions list", "GET", "/api/v1/sessions?size=20", 10),
                    new HttpLoad.Call("models list", "GET", "/api/v1/models?session=" + s0, 5),
                    new HttpLoad.Call("resources", "GET", "/api/v1/resources/allocations", 5));

            log("warm-up of the load generator (3 s, not measured)");
            HttpLoad.warmUp(viewer, mix);
            log("users: mixed API at " + mode.usersRate() + " req/s while trainers run");
            Window w1 = Window.open(pids);
            long[] shared0 = admin.sharedReads();
            Latencies users = HttpLoad.run(viewer, mix, mode.usersRate(), mode.usersSeconds());
            long[] shared1 = admin.sharedReads();
            Map<String, double[]> usersProc = w1.close();

            log("burst: mixed API at " + mode.burstRate() + " req/s");
            Window w2 = Window.open(pids);
            Latencies burst = HttpLoad.run(viewer, mix, mode.burstRate(), mode.burstSeconds());
            long[] shared2 = admin.sharedReads();
            Map<String, double[]> burstProc = w2.close();

            log("burst: status only at " + mode.burstRate() + " req/s");
            Window w3 = Window.open(pids);
            Latencies statusBurst = HttpLoad.run(viewer, List.of(mix.get(0)), mode.burstRate(), mode.burstSeconds());
            Map<String, double[]> statusProc = w3.close();

            Map<Integer, WebSocketFanout.Result> ws = new LinkedHashMap<>();
            Map<Integer, Map<String, double[]>> wsProc = new LinkedHashMap<>();
            for (int n : mode.wsClients()) {
                log("WebSocket: " + n + " subscribers for " + mode.wsSeconds() + " s");
                Window w = Window.open(pids);
                ws.put(n, WebSocketFanout.run(admin.base, userTokens.get(1), trainers, n, mode.wsSeconds()));
                wsProc.put(n, w.close());
            }

            log("start/stop storm: " + mode.stormCycles() + " cycles");
            Window w4 = Window.open(pids);
            Latencies storm = ControlStorm.run(admin, mode.stormCycles());
            Map<String, double[]> stormProc = w4.close();

            log("history: publishing " + mode.historySteps() + " records (4 metrics each)");
            Latencies history = new Latencies();
            boolean spike = false;
            double ingestSeconds = Double.NaN;
            Window w5 = Window.open(pids);
            if (suite != null) {
                long t0 = System.nanoTime();
                String hs = HistoryLoad.publish(admin, suite.redisHost(), suite.redisPort(), mode.historySteps());
                long deadline = System.currentTimeMillis() + 600_000;
                while (!HistoryLoad.ingested(admin, hs, mode.historySteps()) && System.currentTimeMillis() < deadline) {
                    Thread.sleep(250);
                }
                ingestSeconds = (System.nanoTime() - t0) / 1e9;
                history = HistoryLoad.query(viewer, hs, mode.historySteps(), mode.historyQueries());
                spike = HistoryLoad.spikeVisible(viewer, hs, mode.historySteps());
            }

            Map<String, double[]> historyProc = w5.close();
            Latencies pg = suite != null ? Baselines.postgresSessionRead(suite.jdbcUrl(), s0, mode.baselineN()) : new Latencies();
            JsonNode perf = admin.json("GET", "/api/v1/performance", null);
            Map<String, ProcessStats.Sample> end = samples(pids);

            // ---- report ----
            double usersS = mode.usersSeconds();
            double burstS = mode.burstSeconds();
            Map<String, Latencies.Row> usersRows = users.rows(usersS);
            Map<String, Latencies.Row> burstRows = burst.rows(burstS);
            Map<String, Latencies.Row> statusRows = statusBurst.rows(burstS);
            Map<String, Latencies.Row> stormRows = storm.rows(0);
            Map<String, Latencies.Row> historyRows = history.rows(0);
            Map<String, Latencies.Row> rttRows = redisRtt.rows(0);
            Map<String, Latencies.Row> pgRows = pg.rows(0);
            errors = sumErrors(usersRows) + sumErrors(burstRows) + sumErrors(statusRows) + sumErrors(stormRows) + sumErrors(historyRows);

            WebSocketFanout.Result ws50 = ws.get(mode.wsClients()[0]);
            WebSocketFanout.Result wsMax = ws.get(maxWs);
            Map<String, Latencies.Row> ws50d = ws50.delivery().rows(mode.wsSeconds());
            Map<String, Latencies.Row> wsMaxd = wsMax.delivery().rows(mode.wsSeconds());
            Map<String, Latencies.Row> wsMaxi = wsMax.intervals().rows(mode.wsSeconds());

            report.target(new Report.Target("Status < 100 ms (plan) at " + mode.usersRate() + " req/s mixed, " + mode.trainers() + " trainers",
                    "p99", 100, p(usersRows, "status", Latencies.Row::p99), "ms", true));
            report.target(new Report.Target("Status p99 < 10 ms at " + mode.burstRate() + " req/s (aim)", "p99, status only",
                    10, p(statusRows, "status", Latencies.Row::p99), "ms", true));
            report.target(new Report.Target("Config read < 200 ms (plan)", "p99 at " + mode.burstRate() + " req/s mixed", 200,
                    p(burstRows, "config read", Latencies.Row::p99), "ms", true));
            report.target(new Report.Target("Start/stop < 500 ms (plan)", "p99 of start and stop", 500,
                    Math.max(p(stormRows, "start", Latencies.Row::p99), p(stormRows, "stop", Latencies.Row::p99)), "ms", true));
            report.target(new Report.Target("Control calls p99 < 100 ms (aim)", "p99 of start and stop", 100,
                    Math.max(p(stormRows, "start", Latencies.Row::p99), p(stormRows, "stop", Latencies.Row::p99)), "ms", true));
            report.target(new Report.Target("Model management < 1 s (plan)", "p99 models list", 1000,
                    p(stormRows, "models list", Latencies.Row::p99), "ms", true));
            report.target(new Report.Target("History < 2 s (plan), " + mode.historySteps() * 4 + " points", "p95, 1000-point queries", 2000,
                    p(historyRows, "history 1000 points", Latencies.Row::p95), "ms", true));
            report.target(new Report.Target("History p95 < 50 ms (aim)", "p95 via the gateway; 10M-point figure in bench/metrics", 50,
                    p(historyRows, "history 1000 points", Latencies.Row::p95), "ms", true));
            report.target(new Report.Target("Metrics pushed at most every 500 ms (plan)", "p5 of intervals seen per client, " + maxWs + " clients",
                    450, p(wsMaxi, "training_update", Latencies.Row::p5), "ms", false));
            report.target(new Report.Target("Games pushed at most every 250 ms (plan)", "p5 of intervals seen per client", 225,
                    p(wsMaxi, "game_state", Latencies.Row::p5), "ms", false));
            report.target(new Report.Target("System pushed every 1 s (plan)", "p50 of intervals seen per client", 900,
                    p(wsMaxi, "system_status", Latencies.Row::p50), "ms", false));
            report.target(new Report.Target("Push latency < 50 ms (plan), " + ws50.connected() + " clients", "p99 system_status publish→receive", 50,
                    p(ws50d, "system_status publish→receive", Latencies.Row::p99), "ms", true));
            report.target(new Report.Target("WebSocket delivery p99 < 25 ms with " + maxWs + " subscribers (aim)", "p99 hub push→receive, training_update",
                    25, p(wsMaxd, "training_update hub push→receive", Latencies.Row::p99), "ms", true));
            report.target(new Report.Target("50 WebSockets (plan)", "connections held", 50, ws50.connected(), "", false));
            double gwRss = wsProc.getOrDefault(maxWs, Map.of()).getOrDefault("gateway-service", new double[]{0, Double.NaN})[1];
            report.target(new Report.Target("Gateway holds " + maxWs + " WebSockets within 512 MB RSS (aim)", "max RSS during the run", 512, gwRss, "MB", true));
            report.target(new Report.Target("100 req/s (plan)", "achieved rate, mixed", mode.usersRate(),
                    usersRows.values().stream().mapToDouble(Latencies.Row::perSecond).sum(), "req/s", false));

            String machine = Machine.describe(home);
            StringBuilder header = new StringBuilder();
            header.append("# Load run ").append(LocalDate.now()).append(" (").append(mode.name()).append(")\n\n");
            header.append(machine).append('\n');
            header.append("Command: `").append(mode == SMOKE ? "./mvnw -B -pl bench verify" : "java -jar bench/target/keisei-bench.jar --mode full"
                            + (gc == null ? "" : " --gc " + gc))
                    .append("` (after `./mvnw -B install -DskipTests`). The suite runs on loopback on the same machine as the load, so the\n")
                    .append("load generator competes with the services and trainers for the same cores: figures are upper bounds.\n");
            header.append(String.format(Locale.ROOT, "Run took %.0f s. %d real trainers ran during the API and WebSocket scenarios.%n",
                    (System.currentTimeMillis() - started) / 1000.0, mode.trainers()));

            report.heading("Overhead over the raw floors (same run)");
            double statusP50 = p(usersRows, "status", Latencies.Row::p50);
            double pgP50 = p(pgRows, "postgres session by id", Latencies.Row::p50);
            double rttP50 = p(rttRows, "redis xadd→xread", Latencies.Row::p50);
            double sysE2eP50 = p(ws50d, "system_status publish→receive", Latencies.Row::p50);
            report.line(String.format(Locale.ROOT, "- status through the gateway p50 %.2f ms vs a raw PostgreSQL primary-key read p50 %.2f ms: %.1fx", statusP50, pgP50, statusP50 / pgP50));
            report.line(String.format(Locale.ROOT, "- system_status publish→browser-equivalent receive p50 %.2f ms vs a raw Redis XADD→XREAD p50 %.2f ms: %.1fx (the hub adds one XREAD hop and one WebSocket hop)", sysE2eP50, rttP50, sysE2eP50 / rttP50));
            report.latencyTable(merge(rttRows, pgRows));

            report.heading("Mixed API at " + mode.usersRate() + " req/s (20 users' mix) while trainers run");
            report.latencyTable(usersRows);
            report.line("Worst latency (ms) of the requests due in each second: " + users.worstPerSecond() + "\n");
            report.line(sharedLine(shared0, shared1));
            report.line(cpuTable(usersProc));
            report.heading("Mixed API at " + mode.burstRate() + " req/s");
            report.latencyTable(burstRows);
            report.line("Worst latency (ms) of the requests due in each second: " + burst.worstPerSecond() + "\n");
            report.line(sharedLine(shared1, shared2));
            report.line(cpuTable(burstProc));
            report.heading("Status only at " + mode.burstRate() + " req/s");
            report.latencyTable(statusRows);
            report.line("Worst latency (ms) of the requests due in each second: " + statusBurst.worstPerSecond() + "\n");
            report.line(cpuTable(statusProc));
            for (var e : ws.entrySet()) {
                report.heading("WebSocket: " + e.getKey() + " subscribers (" + e.getValue().connected() + " held, " + e.getValue().refused()
                        + " refused, " + e.getValue().messages() + " messages measured)");
                report.line("Delivery latency per type (publish→receive includes the deliberate throttling hold; hub push→receive is the fan-out itself):\n");
                report.latencyTable(e.getValue().delivery().rows(mode.wsSeconds()));
                report.line("Intervals between pushes each client saw, per (type, session):\n");
                report.latencyTable(e.getValue().intervals().rows(mode.wsSeconds()));
                report.line(cpuTable(wsProc.get(e.getKey())));
            }
            report.heading("Start/stop storm and model management (" + mode.stormCycles() + " cycles)");
            report.latencyTable(stormRows);
            report.line(cpuTable(stormProc));
            report.heading("History over a long run (" + mode.historySteps() * 4 + " points, max_points=1000, random zooms)");
            report.line(String.format(Locale.ROOT, "Published and ingested in %.1f s (%.0f points/s end to end). The planted spike %s in the full-range 1000-point view.%n",
                    ingestSeconds, mode.historySteps() * 4 / ingestSeconds, spike ? "shows" : "is MISSING"));
            report.latencyTable(historyRows);
            report.line(cpuTable(historyProc));
            if (suite != null) {
                report.heading("Garbage collection pauses after each service's first " + (int) GcPauses.AFTER_START_UP_SECONDS
                        + " s (" + (gc == null ? "each service's own collector" : gc + " everywhere") + ")");
                report.line(GcPauses.table(home.resolve("bench/target/suite-data")));
            }
            report.heading("Memory and CPU of each service");
            report.line("| service | RSS idle MB | RSS at end MB | CPU s over the run |\n| --- | ---: | ---: | ---: |");
            for (var e : pids.entrySet()) {
                ProcessStats.Sample a = idle.get(e.getKey());
                ProcessStats.Sample b = end.get(e.getKey());
                report.line(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.1f |", e.getKey(), a.rssKb() / 1024.0, b.rssKb() / 1024.0,
                        (b.cpuTicks() - a.cpuTicks()) / 100.0));
            }
            report.heading("The gateway's own view (/api/v1/performance at the end)");
            report.line("```json\n" + perf.path("websocket").toPrettyString() + "\n```");

            String stamp = LocalDate.now() + "-load-" + mode.name() + (gc == null ? "" : "-" + gc);
            report.write(out.resolve(stamp + ".md"), header.toString(), out.resolve(stamp + ".svg"));
            log("report: " + out.resolve(stamp + ".md") + (report.allMet() ? " (every target met)" : " (some targets missed: see the report)"));
            report.targets().forEach(t -> log(String.format(Locale.ROOT, "  %-4s %s: %s", t.met() ? "ok" : "MISS", t.name(),
                    Double.isNaN(t.measured()) ? "n/a" : String.format(Locale.ROOT, "%.2f %s", t.measured(), t.unit()))));
            if (!spike) {
                errors++;
            }
        } finally {
            if (admin != null) {
                Trainers.stop(admin, trainers);
            }
            if (suite != null) {
                suite.close();
            }
        }
        return errors == 0 ? 0 : 1;
    }

    private static Map<String, Latencies.Row> merge(Map<String, Latencies.Row> a, Map<String, Latencies.Row> b) {
        Map<String, Latencies.Row> m = new LinkedHashMap<>(a);
        m.putAll(b);
        return m;
    }

    private static long sumErrors(Map<String, Latencies.Row> rows) {
        return rows.values().stream().mapToLong(Latencies.Row::errors).sum();
    }

    private static double p(Map<String, Latencies.Row> rows, String label, java.util.function.ToDoubleFunction<Latencies.Row> f) {
        Latencies.Row r = rows.get(label);
        return r == null || r.count() == 0 ? Double.NaN : f.applyAsDouble(r);
    }

    private static Map<String, ProcessStats.Sample> samples(Map<String, Long> pids) {
        Map<String, ProcessStats.Sample> out = new LinkedHashMap<>();
        pids.forEach((name, pid) -> out.put(name, ProcessStats.sample(pid)));
        return out;
    }

    /** How many live reads (lists, history, allocations) the gateway shared rather than forwarded. */
    private static String sharedLine(long[] before, long[] after) {
        if (before[0] < 0 || after[0] < 0) {
            return "";
        }
        long shared = after[0] - before[0];
        long called = after[1] - before[1];
        return String.format(Locale.ROOT, "%nLive reads (history, lists, allocations): %d, of which %d made a downstream call and %d (%.0f %%) shared the answer "
                + "of an identical read in flight or answered within the live window (`KEISEI_CACHE_LIVE_TTL`, 1 s). Every user in this mix "
                + "reads the same session, so almost all are shared; bench/README.md gives the unshared cost per endpoint.%n",
                shared + called, called, shared, shared + called == 0 ? 0.0 : 100.0 * shared / (shared + called));
    }

    private static String cpuTable(Map<String, double[]> proc) {
        if (proc == null || proc.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder("\n| service | CPU % of one core | max RSS MB |\n| --- | ---: | ---: |\n");
        proc.forEach((name, v) -> s.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f |%n", name, v[0], v[1])));
        return s.toString();
    }

    private static void log(String s) {
        System.out.println("[bench] " + s);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("options are --mode smoke|full, --out DIR, --home DIR, --target URL --token T, "
                        + "--gc serial|parallel|g1|zgc");
            }
            m.put(args[i].substring(2), args[i + 1]);
        }
        return m;
    }

    /** CPU and the highest RSS of each service over one scenario, sampled every second. */
    private static final class Window {
        private final Map<String, Long> pids;
        private final Map<String, ProcessStats.Sample> first;
        private final Map<String, Long> maxRss = new LinkedHashMap<>();
        private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(Daemon.THREADS);
        private final long t0 = System.nanoTime();

        private Window(Map<String, Long> pids) {
            this.pids = pids;
            this.first = samples(pids);
            sampler.scheduleAtFixedRate(() -> pids.forEach((n, pid) -> {
                long rss = ProcessStats.sample(pid).rssKb();
                synchronized (maxRss) {
                    maxRss.merge(n, rss, Math::max);
                }
            }), 0, 1, TimeUnit.SECONDS);
        }

        static Window open(Map<String, Long> pids) {
            return new Window(pids);
        }

        Map<String, double[]> close() {
            sampler.shutdownNow();
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, ProcessStats.Sample> last = samples(pids);
            Map<String, double[]> out = new LinkedHashMap<>();
            pids.keySet().forEach(n -> {
                long rss;
                synchronized (maxRss) {
                    rss = Math.max(maxRss.getOrDefault(n, 0L), last.get(n).rssKb());
                }
                out.put(n, new double[]{ProcessStats.cpuPercent(first.get(n), last.get(n), seconds), rss / 1024.0});
            });
            return out;
        }
    }
}
