package io.keisei.testsupport;

import io.keisei.infra.FreePorts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The four packaged services as {@code ./keisei up} starts them (same environment, same JVM options, the
 * repository as working directory, so training-service launches the real packaged trainer) on free ports, against
 * the test PostgreSQL and Redis ({@link TestInfrastructure}), with a known admin token. For tests of what users
 * reach through the gateway only (the command-line client's, for one); stopped in reverse start order.
 */
public final class PackagedSuite implements AutoCloseable {

    private final List<CompletableFuture<PackagedService>> services;
    private final int gatewayPort;
    private final String adminToken;
    private final Path data;

    private PackagedSuite(List<CompletableFuture<PackagedService>> services, int gatewayPort, String adminToken, Path data) {
        this.services = services;
        this.gatewayPort = gatewayPort;
        this.adminToken = adminToken;
        this.data = data;
    }

    /** Starts the suite with its data (and each service's log, under {@code logs/}) in a fresh {@code data} directory. */
    public static PackagedSuite start(Path data) {
        try {
            deleteRecursively(data);
            Files.createDirectories(data.resolve("logs"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + data, e);
        }
        Set<Integer> picked = new LinkedHashSet<>();
        while (picked.size() < 4) {
            picked.add(FreePorts.pick());
        }
        List<Integer> ports = List.copyOf(picked);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String admin = "ksk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Map<String, String> env = new HashMap<>(Map.of(
                "KEISEI_DATA_DIR", data.toString(),
                "KEISEI_GATEWAY_PORT", String.valueOf(ports.get(0)), "KEISEI_TRAINING_PORT", String.valueOf(ports.get(1)),
                "KEISEI_METRICS_PORT", String.valueOf(ports.get(2)), "KEISEI_RESOURCE_PORT", String.valueOf(ports.get(3)),
                "KEISEI_TRAINING_URL", "http://127.0.0.1:" + ports.get(1), "KEISEI_METRICS_URL", "http://127.0.0.1:" + ports.get(2),
                "KEISEI_RESOURCE_URL", "http://127.0.0.1:" + ports.get(3)));
        String[][] services = {
                {"gateway-service", "KEISEI_GATEWAY_PORT"}, {"training-service", "KEISEI_TRAINING_PORT"},
                {"metrics-service", "KEISEI_METRICS_PORT"}, {"resource-service", "KEISEI_RESOURCE_PORT"}};
        TestInfrastructure infra = TestInfrastructure.get();
        List<CompletableFuture<PackagedService>> started = new ArrayList<>();
        for (int i = 0; i < services.length; i++) {
            String name = services[i][0];
            PackagedService.Builder b = PackagedService.of(name).port(services[i][1], ports.get(i)).infrastructure(infra)
                    .withoutInheritedKeiseiEnv().env(env).directory(PackagedService.repoRoot())
                    .log(data.resolve("logs").resolve(name + ".log"))
                    .jvmOptions("-XX:+UseSerialGC", "-Xss512k", "-Xmx384m").readyTimeout(Duration.ofSeconds(240));
            if (name.equals("gateway-service")) {
                b.env("KEISEI_ADMIN_TOKEN", admin);
            }
            // All at once, as ./keisei up starts them (each start waits until its service is ready).
            started.add(CompletableFuture.supplyAsync(b::start, r -> new Thread(r, "start " + name).start()));
        }
        PackagedSuite suite = new PackagedSuite(started, ports.get(0), admin, data);
        try {
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException e) {
            suite.close();
            throw e;
        }
        return suite;
    }

    /** The gateway, e.g. http://127.0.0.1:41234: the only address users get. */
    public String gatewayUrl() {
        return "http://127.0.0.1:" + gatewayPort;
    }

    public String adminToken() {
        return adminToken;
    }

    public Path dataDirectory() {
        return data;
    }

    @Override
    public void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            PackagedService s = services.get(i).exceptionally(e -> null).join(); // one that failed to start has stopped already
            if (s != null) {
                s.close();
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
