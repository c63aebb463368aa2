package io.keisei.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stop-the-world pauses of each service over a run, read from its unified GC log ({@code -Xlog:gc,gc+phases}):
 * Serial, Parallel and G1 log each pause as {@code Pause Young (...) 27M->5M(123M) 6.789ms} under {@code gc}; ZGC logs
 * its short pauses ({@code Pause Mark Start 0.012ms}) under {@code gc+phases}. Concurrent phases are not pauses.
 */
final class GcPauses {

    private static final Pattern PAUSE = Pattern.compile("\\bPause [A-Z][^\\[]*?([0-9]+(?:\\.[0-9]+)?)ms\\s*$");
    private static final Pattern UPTIME = Pattern.compile("^\\[([0-9]+(?:\\.[0-9]+)?)s\\]");
    /** Start-up (class loading, the heap growing to its working size) is not what a run measures. */
    static final double AFTER_START_UP_SECONDS = 30;
    private static final Pattern USING = Pattern.compile("\\[gc(?:,init)?\\s*\\] Using (.+)$");

    record Summary(String collector, List<Double> pausesMs) {
        double quantile(double q) {
            if (pausesMs.isEmpty()) {
                return Double.NaN;
            }
            List<Double> sorted = new ArrayList<>(pausesMs);
            Collections.sort(sorted);
            return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
        }

        double total() {
            return pausesMs.stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    private GcPauses() {
    }

    static Path logOf(Path data, String service) {
        return data.resolve("logs").resolve(service + "-gc.log");
    }

    static Summary read(Path log) throws IOException {
        return read(log, 0);
    }

    /** The pauses of a service's life after {@code fromSeconds} of uptime. */
    static Summary read(Path log, double fromSeconds) throws IOException {
        String collector = "?";
        List<Double> pauses = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            Matcher using = USING.matcher(line);
            if (using.find()) {
                collector = using.group(1).strip();
                continue;
            }
            Matcher m = PAUSE.matcher(line);
            Matcher uptime = UPTIME.matcher(line);
            if (m.find() && (!uptime.find() || Double.parseDouble(uptime.group(1)) >= fromSeconds)) {
                pauses.add(Double.parseDouble(m.group(1)));
            }
        }
        return new Summary(collector, pauses);
    }

    /** A Markdown table of every service's pauses, from the GC logs under {@code data}. */
    static String table(Path data) {
        StringBuilder s = new StringBuilder("| service | collector | pauses | total ms | p50 ms | p99 ms | max ms |\n"
                + "| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (String service : List.of("gateway-service", "training-service", "metrics-service", "resource-service")) {
            Path log = logOf(data, service);
            try {
                Summary p = read(log, AFTER_START_UP_SECONDS);
                s.append(String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %.2f | %.2f | %.2f |%n", service, p.collector(),
                        p.pausesMs().size(), p.total(), p.quantile(0.5), p.quantile(0.99), p.quantile(1.0)));
            } catch (IOException e) {
                s.append("| ").append(service).append(" | (no GC log: ").append(e.getClass().getSimpleName()).append(") | | | | | |\n");
            }
        }
        return s.toString();
    }
}
