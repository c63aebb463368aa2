package io.keisei.launcher;

import java.nio.file.Files;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Entry point of {@code ./keisei}: up, status, down. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "help" : args[0];
        try {
            SuiteLayout layout = SuiteLayout.fromEnvironment(System.getenv());
            int code = switch (command) {
                case "up" -> new SuiteRunner(layout, System.getenv()).run();
                case "status" -> status(layout);
                case "down" -> down(layout);
                default -> {
                    System.err.println("usage: keisei up|status|down");
                    yield 2;
                }
            };
            System.exit(code);
        } catch (LaunchException e) {
            System.err.println("keisei: " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            System.err.println("keisei: " + e);
            System.exit(1);
        }
    }

    private static int status(SuiteLayout layout) {
        if (!InstanceLock.isHeld(layout.lockFile())) {
            System.out.println("Keisei Web UI is not running (data in " + layout.dataDir() + ")");
            return 3;
        }
        System.out.println("Keisei Web UI is running" + launcherPid(layout).map(p -> " (launcher pid " + p + ")").orElse("")
                + ", data in " + layout.dataDir());
        List<StatusFile.Row> rows = StatusFile.read(layout.statusFile());
        Map<String, StatusFile.Row> byName = new LinkedHashMap<>();
        rows.forEach(r -> byName.put(r.name(), r));
        Instant now = Instant.now();
        boolean allReady = true;
        String format = "  %-17s %-6s %-11s %-8s %-9s %-10s %s%n";
        System.out.printf(format, "COMPONENT", "PORT", "STATE", "PID", "RESTARTS", "UPTIME", "LAST EXIT");
        for (StatusFile.Row r : rows) {
            if (layout.services().stream().anyMatch(s -> s.name().equals(r.name()))) {
                continue;
            }
            int port = r.name().equals(SuiteRunner.REDIS) ? layout.redisPort() : layout.dbPort();
            allReady &= r.state().equals("running");
            System.out.printf(format, r.name(), port, r.state(), r.pid() == null ? "-" : r.pid(), r.restarts(), r.uptime(now),
                    r.lastExit() == null ? "-" : r.lastExit());
        }
        for (ServiceSpec s : layout.services()) {
            boolean ready = HealthProbe.ready(s.port());
            allReady &= ready;
            StatusFile.Row r = byName.get(s.name());
            String state = ready ? "ready" : "NOT READY";
            if (r != null && !ready && !r.state().equals("running")) {
                state = r.state();
            }
            System.out.printf(format, s.name(), s.port(), state, r == null || r.pid() == null ? "-" : r.pid(),
                    r == null ? "-" : r.restarts(), r == null ? "-" : r.uptime(now),
                    r == null || r.lastExit() == null ? "-" : r.lastExit());
        }
        System.out.println("  dashboard: http://localhost:" + layout.gateway().port());
        return allReady ? 0 : 1;
    }

    private static int down(SuiteLayout layout) throws InterruptedException {
        if (!InstanceLock.isHeld(layout.lockFile())) {
            System.out.println("Keisei Web UI is not running");
            return 0;
        }
        Optional<ProcessHandle> launcher = launcherPid(layout).flatMap(ProcessHandle::of);
        if (launcher.isEmpty()) {
            throw new LaunchException("a launcher holds " + layout.lockFile() + " but its pid is unknown; stop it with Ctrl-C");
        }
        System.out.println("stopping Keisei Web UI (pid " + launcher.get().pid() + ")...");
        launcher.get().destroy();
        try {
            launcher.get().onExit().get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new LaunchException("the launcher did not stop within 90 s (pid " + launcher.get().pid() + ")");
        }
        System.out.println("stopped");
        return 0;
    }

    private static Optional<Long> launcherPid(SuiteLayout layout) {
        try {
            return Optional.of(Long.parseLong(Files.readString(layout.pidFile()).strip()));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

}
