package io.keisei.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a user of the API saw while a fault lasted: a read through the gateway every 500 ms, counted by status.
 * The only acceptable answers are 200 and 503 with Retry-After (and no answer while the gateway itself is down):
 * never a 500, a 502, or a 503 that does not say when to come back.
 */
final class ApiProbe implements AutoCloseable {

    private final ChaosSuite suite;
    private final String path;
    private final boolean gatewayMayBeDown;
    private final Map<String, Integer> counts = new TreeMap<>();
    private long slowestMillis;
    private final List<String> wrong = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    ApiProbe(ChaosSuite suite, String path, boolean gatewayMayBeDown) {
        this.suite = suite;
        this.path = path;
        this.gatewayMayBeDown = gatewayMayBeDown;
        thread = new Thread(this::run, "api-probe");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            ChaosSuite.Answer a = suite.api("GET", path, null);
            String key = a.status() == -1 ? "no answer" : a.status() == 503 && a.retryAfter().isPresent()
                    ? "503 Retry-After" : String.valueOf(a.status());
            boolean ok = a.status() == 200 || "503 Retry-After".equals(key) || (a.status() == -1 && gatewayMayBeDown);
            synchronized (this) {
                counts.merge(key, 1, Integer::sum);
                slowestMillis = Math.max(slowestMillis, a.millis());
                if (!ok && wrong.size() < 5) {
                    wrong.add(key + " " + a.body().substring(0, Math.min(300, a.body().length())));
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    synchronized List<String> wrong() {
        return new ArrayList<>(wrong);
    }

    synchronized long slowestMillis() {
        return slowestMillis;
    }

    /** Every answer was a 200. */
    synchronized boolean allOk() {
        return counts.keySet().stream().allMatch("200"::equals);
    }

    synchronized String summary() {
        StringBuilder sb = new StringBuilder("GET " + path.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "{id}") + ": ");
        counts.forEach((k, v) -> sb.append(k).append(" ×").append(v).append(", "));
        sb.setLength(sb.length() - 2);
        return sb.append(" (slowest ").append(slowestMillis).append(" ms)").toString();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(35_000);
    }
}
