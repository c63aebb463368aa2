package io.keisei.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where everything is and which ports it uses, from the environment with working defaults.
 * The embedded PostgreSQL and Redis use uncommon default ports so they never collide with a
 * system server a user may already run.
 */
public record SuiteLayout(Path home, Path dataDir, List<ServiceSpec> services, int dbPort, int redisPort,
                          String externalDbUrl, String externalRedisUrl) {

    public static SuiteLayout fromEnvironment(Map<String, String> env) {
        Path home = Path.of(env.getOrDefault("KEISEI_HOME", ".")).toAbsolutePath().normalize();
        String data = env.get("KEISEI_DATA_DIR");
        Path dataDir = (data == null || data.isBlank() ? home.resolve("data") : Path.of(data)).toAbsolutePath().normalize();
        List<ServiceSpec> services = List.of(
                spec(env, home, "gateway-service", "KEISEI_GATEWAY_PORT", 8080),
                spec(env, home, "training-service", "KEISEI_TRAINING_PORT", 8081),
                spec(env, home, "metrics-service", "KEISEI_METRICS_PORT", 8082),
                spec(env, home, "resource-service", "KEISEI_RESOURCE_PORT", 8083));
        return new SuiteLayout(home, dataDir, services, port(env, "KEISEI_EMBEDDED_DB_PORT", 15432),
                port(env, "KEISEI_EMBEDDED_REDIS_PORT", 16379), blankToNull(env.get("KEISEI_DB_URL")),
                blankToNull(env.get("KEISEI_REDIS_URL")));
    }

    private static ServiceSpec spec(Map<String, String> env, Path home, String name, String variable, int port) {
        return new ServiceSpec(name, port(env, variable, port), variable, home.resolve(name).resolve("target/quarkus-app"));
    }

    private static int port(Map<String, String> env, String variable, int fallback) {
        String v = env.get(variable);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int p = Integer.parseInt(v.trim());
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new LaunchException(variable + " must be a port number (1-65535), was '" + v + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    public Path logsDir() {
        return dataDir.resolve("logs");
    }

    public Path pidFile() {
        return dataDir.resolve("keisei.pid");
    }

    /** The supervisor's view of the components (JSON), read by ./keisei status. */
    public Path statusFile() {
        return dataDir.resolve("status.json");
    }

    public Path lockFile() {
        return dataDir.resolve("keisei.lock");
    }

    public Path tokenFile() {
        return dataDir.resolve("admin.token");
    }

    /** The service credential the four services share (generated once, mode 600). */
    public Path serviceTokenFile() {
        return dataDir.resolve("service.token");
    }

    public ServiceSpec gateway() {
        return services.get(0);
    }
}
