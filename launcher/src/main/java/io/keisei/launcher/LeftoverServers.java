package io.keisei.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL and Redis left running by a launcher that was killed (SIGKILL leaves no chance to stop them): found
 * through their data directory on the next {@code up} and stopped cleanly, so the new suite starts its own.
 */
final class LeftoverServers {

    private LeftoverServers() {
    }

    /** The postmaster's pid from {@code postmaster.pid} in the cluster directory, or -1. */
    static long postmasterPid(Path clusterDir) {
        try {
            List<String> lines = Files.readAllLines(clusterDir.resolve("postmaster.pid"));
            return lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).strip());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Stops a postmaster that still runs on this cluster directory: SIGINT (fast shutdown: clients are
     * disconnected, everything is written), SIGKILL after 60 s (then the next start is crash recovery).
     */
    static boolean stopPostgres(Path clusterDir) throws InterruptedException {
        long pid = postmasterPid(clusterDir);
        ProcessHandle p = pid > 0 ? ProcessHandle.of(pid).orElse(null) : null;
        if (p == null || !p.isAlive() || !p.info().command().map(c -> c.contains("postgres")).orElse(false)) {
            return false;
        }
        Console.line("PostgreSQL of an earlier launcher still runs on " + clusterDir + " (pid " + pid + "); stopping it cleanly");
        signal("INT", pid);
        if (!await(p, 60)) {
            p.destroyForcibly();
            await(p, 10);
        }
        Console.ok("earlier PostgreSQL stopped");
        return true;
    }

    /** Stops a redis-server that still runs on this data directory (SIGTERM: Redis writes its files and exits). */
    static boolean stopRedis(Path redisDir) throws InterruptedException {
        String dirSetting = "dir " + redisDir.toAbsolutePath();
        List<ProcessHandle> leftovers = ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("redis-server") || c.contains("redis-server")).orElse(false))
                .filter(p -> workingDirectoryIs(p, redisDir) || p.info().arguments().map(args -> java.util.Arrays.stream(args)
                        .anyMatch(a -> a.contains(redisDir.toString()) || mentions(a, dirSetting))).orElse(false))
                .toList();
        for (ProcessHandle p : leftovers) {
            Console.line("Redis of an earlier launcher still runs on " + redisDir + " (pid " + p.pid() + "); stopping it cleanly");
            p.destroy();
            if (!await(p, 30)) {
                p.destroyForcibly();
                await(p, 10);
            }
            Console.ok("earlier Redis stopped");
        }
        return !leftovers.isEmpty();
    }

    /** The services of a killed launcher follow it out on their own (they watch its pid): give them time to. */
    static void awaitPortsFree(List<Integer> ports, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (ports.stream().anyMatch(io.keisei.infra.FreePorts::inUse) && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
    }

    /** Redis changes into its {@code dir} (and rewrites its command line): on Linux /proc tells the directory. */
    private static boolean workingDirectoryIs(ProcessHandle p, Path dir) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", String.valueOf(p.pid()), "cwd")).equals(dir.toRealPath());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** True when {@code arg} is a (config) file that holds {@code setting}. */
    private static boolean mentions(String arg, String setting) {
        try {
            Path f = Path.of(arg);
            return Files.isRegularFile(f) && Files.size(f) < 1_000_000 && Files.readString(f).contains(setting);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void signal(String signal, long pid) throws InterruptedException {
        try {
            new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
    }

    private static boolean await(ProcessHandle p, int seconds) throws InterruptedException {
        try {
            p.onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return !p.isAlive();
        }
    }
}
