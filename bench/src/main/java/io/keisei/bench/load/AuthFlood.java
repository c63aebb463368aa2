package io.keisei.bench.load;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Session status latency while a client floods the gateway with requests carrying random tokens,
 * against its quiet value in the same suite: the defended gateway (address budget for failed
 * authentications, negative cache of unknown tokens) and, with {@code --compare}, the same suite with
 * both turned off, as the gateway was before. The aim: status p95 during the flood within 2x quiet.
 *
 * <pre>java -cp bench/target/keisei-bench.jar io.keisei.bench.load.AuthFlood [--flood 10000] [--rate 1000] [--compare]</pre>
 */
public final class AuthFlood {

    /** One suite's figures; quiet is measured before and after the flood, and the lower p95 is the reference. */
    private record Run(String name, Latencies.Row quiet, Latencies.Row quietAfter, Latencies.Row flooded,
                       Map<Integer, Integer> floodStatuses, double floodSeconds, double[] quietCpu, double[] floodCpu,
                       Latencies.Row control) {

        double quietP95() {
            return Math.min(quiet.p95(), quietAfter.p95());
        }
    }

    /** CPU seconds used so far by the gateway and by PostgreSQL (all its processes), from /proc. */
    private static double[] cpu(SuiteProcess suite) {
        long gateway = ProcessStats.services(suite.handle()).getOrDefault("gateway-service", -1L);
        double g = gateway < 0 ? Double.NaN : ProcessStats.sample(gateway).cpuTicks() / 100.0;
        // PostgreSQL runs detached from the launcher: its postmaster is the one started on this suite's data directory.
        double pg = ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().orElse("").contains("flood-data") && h.info().command().orElse("").contains("postgres"))
                .flatMap(h -> java.util.stream.Stream.concat(java.util.stream.Stream.of(h), h.descendants()))
                .mapToDouble(h -> ProcessStats.sample(h.pid()).cpuTicks() / 100.0).sum();
        return new double[]{g, pg};
    }

    private static double[] minus(double[] a, double[] b) {
        return new double[]{a[0] - b[0], a[1] - b[1]};
    }

    private AuthFlood() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
                opts.put(args[i].substring(2), flag ? "true" : args[++i]);
            }
        }
        Path home = Path.of(opts.getOrDefault("home", ".")).toAbsolutePath().normalize();
        Path out = Path.of(opts.getOrDefault("out", home.resolve("bench/results").toString()));
        int flood = Integer.parseInt(opts.getOrDefault("flood", "10000"));
        int rate = Integer.parseInt(opts.getOrDefault("rate", "1000"));
        List<Run> runs = new ArrayList<>();
        runs.add(run("defended (defaults)", home, flood, rate, Map.of()));
        if (opts.containsKey("compare")) {
            runs.add(run("undefended (no address budget, no negative cache)", home, flood, rate,
                    Map.of("KEISEI_AUTH_FAILURES_PER_ADDRESS", "0", "KEISEI_UNKNOWN_TOKEN_TTL", "0s")));
        }
        String report = report(runs, flood, rate);
        Files.createDirectories(out);
        Path file = out.resolve(LocalDate.now() + "-auth-flood.md");
        Files.writeString(file, report);
        System.out.println(report);
        System.out.println("written to " + file);
        System.exit(0);
    }

    private static Run run(String name, Path home, int flood, int rate, Map<String, String> env) throws Exception {
        System.out.println("== " + name + ": starting the suite");
        try (SuiteProcess suite = SuiteProcess.start(home, home.resolve("bench/target/flood-data"), 50, env)) {
            Api admin = new Api(suite.gateway(), suite.adminToken());
            Api viewer = admin.as(admin.createToken("flood-viewer", "viewer"));
            String session = admin.json("POST", "/api/v1/sessions", "{\"name\":\"flood\",\"template\":\"quick-cpu\"}")
                    .path("id").asText();
            List<HttpLoad.Call> status = List.of(new HttpLoad.Call("status", "GET", "/api/v1/sessions/" + session + "/status", 1));
            // Warm-up, not measured: the status path, the refusal path and the control's path get compiled by
            // the JIT before any window is measured (on two cores, compiling during a window is most of its tail).
            HttpLoad.warmUp(viewer, status);
            Thread warmFlood = new Thread(() -> floodWith(suite, 3 * rate, rate, new ConcurrentHashMap<>(), null), "warm-flood");
            Thread warmControl = new Thread(() -> floodWith(suite, 3 * rate, rate, new ConcurrentHashMap<>(), viewer.token),
                    "warm-control");
            warmFlood.start();
            warmControl.start();
            HttpLoad.run(viewer, status, 100, 3);
            warmFlood.join();
            warmControl.join();
            HttpLoad.warmUp(viewer, status);
            int seconds = Math.max(5, flood / rate);
            System.out.println("== quiet: status at 100 req/s for " + seconds + " s");
            double[] c0 = cpu(suite);
            Latencies quiet = HttpLoad.run(viewer, status, 100, seconds);
            double[] c1 = cpu(suite);
            System.out.println("== flood: " + flood + " random tokens at " + rate + " req/s, status at 100 req/s");
            Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
            long t0 = System.nanoTime();
            Thread flooder = new Thread(() -> floodWith(suite, flood, rate, statuses, null), "flooder");
            flooder.start();
            Latencies flooded = HttpLoad.run(viewer, status, 100, seconds);
            flooder.join();
            double floodSeconds = (System.nanoTime() - t0) / 1e9;
            double[] c2 = cpu(suite);
            System.out.println("== quiet again: status at 100 req/s for " + seconds + " s");
            Latencies after = HttpLoad.run(viewer, status, 100, seconds);
            // The control: the same traffic with a valid token (a cached principal, GET /auth/me) shows what the
            // requests themselves cost this machine, whatever their tokens.
            System.out.println("== control: " + flood + " requests with a valid token at " + rate + " req/s, status at 100 req/s");
            Thread control = new Thread(() -> floodWith(suite, flood, rate, new ConcurrentHashMap<>(), viewer.token), "control");
            control.start();
            Latencies controlled = HttpLoad.run(viewer, status, 100, seconds);
            control.join();
            return new Run(name, quiet.rows(seconds).get("status"), after.rows(seconds).get("status"),
                    flooded.rows(seconds).get("status"), new TreeMap<>(statuses), floodSeconds, minus(c1, c0), minus(c2, c1),
                    controlled.rows(seconds).get("status"));
        }
    }

    /**
     * Open loop: one request every 1/rate s, whatever the answers take: with a fresh random token to a list
     * endpoint, or with {@code validToken} to who-am-i (the control).
     */
    private static void floodWith(SuiteProcess suite, int count, int rate, Map<Integer, Integer> statuses, String validToken) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(suite.gateway().getPort()).setKeepAlive(true).setConnectTimeout(5000),
                new PoolOptions().setHttp1MaxSize(32).setMaxWaitQueueSize(-1));
        SecureRandom random = new SecureRandom();
        CountDownLatch done = new CountDownLatch(count);
        AtomicInteger failed = new AtomicInteger();
        long period = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + i * period;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            byte[] b = new byte[32];
            random.nextBytes(b); // in the control too, so both send at the same cost to this process
            String token = validToken != null ? validToken : "ksk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
            http.request(new RequestOptions().setMethod(HttpMethod.GET).setURI(validToken != null ? "/api/v1/auth/me" : "/api/v1/sessions")
                            .putHeader("Authorization", "Bearer " + token))
                    .compose(req -> req.send().compose(resp -> resp.body().map(x -> resp.statusCode())))
                    .onComplete(ar -> {
                        if (ar.succeeded()) {
                            statuses.merge(ar.result(), 1, Integer::sum);
                        } else {
                            failed.incrementAndGet();
                        }
                        done.countDown();
                    });
        }
        try {
            done.await(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failed.get() > 0) {
            statuses.merge(-1, failed.get(), Integer::sum);
        }
        vertx.close();
    }

    private static String report(List<Run> runs, int flood, int rate) {
        StringBuilder md = new StringBuilder("# Status latency under a bad-token flood\n\n");
        md.append("Command: `java -cp bench/target/keisei-bench.jar io.keisei.bench.load.AuthFlood --flood ").append(flood)
                .append(" --rate ").append(rate).append(runs.size() > 1 ? " --compare" : "").append("` (after `./mvnw -B install -DskipTests`).\n\n")
                .append("Everything on one machine (").append(Runtime.getRuntime().availableProcessors())
                .append(" cores): the suite, PostgreSQL, Redis, the status load (100 req/s, open loop, latency from the time each ")
                .append("request was due) and the flooder (").append(flood).append(" requests with fresh random tokens at ")
                .append(rate).append(" req/s from the same address). Aim: status p95 during the flood within 2x its quiet value.\n\n")
                .append("Quiet is measured before and after the flood; the ratio is flood p95 over the lower quiet p95. The control ")
                .append("is the same traffic (count, rate, connections) with a valid token to GET /api/v1/auth/me: what the requests ")
                .append("themselves cost this machine. Before any window, 3 s of flood, control and status traffic warm the JIT ")
                .append("(not measured); the address is then past its budget, as during a real attack.\n\n")
                .append("| suite | quiet p50 / p95 / p99 ms (before; after) | during flood p50 / p95 / p99 ms | p95 ratio | flood answers (status: count) | flood took "
                        + "| CPU s quiet: gateway / PostgreSQL | CPU s flood: gateway / PostgreSQL | control p50 / p95 / p99 ms |\n")
                .append("| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |\n");
        for (Run r : runs) {
            md.append(String.format(java.util.Locale.ROOT, "| %s | %.1f / %.1f / %.1f; %.1f / %.1f / %.1f | %.1f / %.1f / %.1f "
                            + "| %.2f | %s | %.1f s | %.2f / %.2f | %.2f / %.2f | %.1f / %.1f / %.1f |%n",
                    r.name(), r.quiet().p50(), r.quiet().p95(), r.quiet().p99(), r.quietAfter().p50(), r.quietAfter().p95(),
                    r.quietAfter().p99(), r.flooded().p50(), r.flooded().p95(),
                    r.flooded().p99(), r.flooded().p95() / r.quietP95(), r.floodStatuses(), r.floodSeconds(),
                    r.quietCpu()[0], r.quietCpu()[1], r.floodCpu()[0], r.floodCpu()[1], r.control().p50(), r.control().p95(),
                    r.control().p99()));
        }
        md.append("\n(-1 = no answer.) CPU seconds are over the 10 s windows, from /proc. Status errors: ");
        for (Run r : runs) {
            md.append(r.name()).append(" quiet ").append(r.quiet().errors()).append(", flooded ").append(r.flooded().errors()).append("; ");
        }
        md.append("\n");
        return md.toString();
    }
}
