package io.keisei.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The machine and commit a run was made on, for the report. */
final class Machine {

    private Machine() {
    }

    static String describe(Path home) {
        String mem = "?";
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    mem = String.format("%.1f GiB", Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0);
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
        } catch (IOException ignored) {
            // not Linux
        }
        return "Machine: " + cores() + " cores (" + cpu + "), " + mem + " memory, Java "
                + System.getProperty("java.version") + ". Commit: " + commit(home) + ".\n";
    }

    /**
     * The machine's online CPUs, not this process's: under the hub harness's {@code --gateway-cpus} the harness itself is
     * pinned to some of them, and {@code availableProcessors} would count only those.
     */
    static int cores() {
        try {
            int n = CpuPinning.parse(Files.readString(Path.of("/sys/devices/system/cpu/online")).strip()).size();
            if (n > 0) {
                return n;
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors();
    }

    private static String commit(Path home) {
        try {
            Process p = new ProcessBuilder("git", "-C", home.toString(), "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor(5, TimeUnit.SECONDS);
            if (p.exitValue() != 0) {
                return "unknown";
            }
            // Tracked files changed since the commit: the run measured code that no commit holds.
            Process d = new ProcessBuilder("git", "-C", home.toString(), "status", "--porcelain", "--untracked-files=no")
                    .redirectErrorStream(true).start();
            boolean dirty = !new String(d.getInputStream().readAllBytes()).isBlank();
            d.waitFor(5, TimeUnit.SECONDS);
            return dirty ? out + " with uncommitted changes" : out;
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }
}
