package io.keisei.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RSS and CPU time of the suite's processes, from /proc (Linux). */
public final class ProcessStats {

    /** CPU seconds (user + system) and resident memory of one process. */
    public record Sample(long cpuTicks, long rssKb) {
    }

    private static final long TICKS_PER_SECOND = 100;

    private ProcessStats() {
    }

    /** The suite's Java services, found among the launcher's descendants by their jar path. */
    public static Map<String, Long> services(ProcessHandle launcher) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (ProcessHandle h : launcher.descendants().toList()) {
            String cmd = h.info().commandLine().orElse("");
            for (String s : List.of("gateway-service", "training-service", "metrics-service", "resource-service")) {
                if (cmd.contains(s + "/target/quarkus-app/quarkus-run.jar")) {
                    out.put(s, h.pid());
                }
            }
        }
        return out;
    }

    /** Services found by their listening process when the suite was not started by the harness. */
    public static Map<String, Long> servicesByCommandLine() {
        Map<String, Long> out = new LinkedHashMap<>();
        ProcessHandle.allProcesses().forEach(h -> {
            String cmd = h.info().commandLine().orElse("");
            for (String s : List.of("gateway-service", "training-service", "metrics-service", "resource-service")) {
                if (cmd.contains(s + "/target/quarkus-app/quarkus-run.jar")) {
                    out.putIfAbsent(s, h.pid());
                }
            }
        });
        return out;
    }

    public static Sample sample(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            long rss = 0;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            return new Sample(ticks, rss);
        } catch (IOException | RuntimeException e) {
            return new Sample(0, 0);
        }
    }

    /** CPU use between two samples as a percentage of one core. */
    public static double cpuPercent(Sample a, Sample b, double seconds) {
        return seconds <= 0 ? 0 : (b.cpuTicks() - a.cpuTicks()) * 100.0 / TICKS_PER_SECOND / seconds;
    }
}
