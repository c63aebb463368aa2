package io.keisei.bench.load;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Start/stop storm: sessions created, started (a real trainer process is launched) and stopped in
 * quick succession. Measures the control calls themselves; the trainers' own start-up is not.
 */
final class ControlStorm {

    private ControlStorm() {
    }

    static Latencies run(Api admin, int cycles) throws Exception {
        Latencies lat = new Latencies();
        List<String> ids = new ArrayList<>();
        for (int cycle = 0; cycle < cycles; cycle++) {
            int i = cycle;
            String id = timed(lat, "create", () -> admin.send("POST", "/api/v1/sessions",
                    "{\"name\":\"storm-" + i + "\",\"template\":\"quick-cpu\",\"config\":" + Trainers.SMALL + "}"))
                    .map(r -> json(r).path("id").asText()).orElse(null);
            if (id == null) {
                continue;
            }
            ids.add(id);
            long t0 = System.nanoTime();
            timed(lat, "start", () -> admin.send("POST", "/api/v1/sessions/" + id + "/start", null));
            long t1 = System.nanoTime();
            timed(lat, "status", () -> admin.send("GET", "/api/v1/sessions/" + id + "/status", null));
            long t2 = System.nanoTime();
            timed(lat, "stop", () -> admin.send("POST", "/api/v1/sessions/" + id + "/stop", null));
            // In the run's log, in order: a p99 of ten is one call, and which one (the first, on cold code?) matters.
            System.out.printf(java.util.Locale.ROOT, "[storm] cycle %d: start %.0f ms, stop %.0f ms%n", cycle + 1,
                    (t1 - t0) / 1e6, (System.nanoTime() - t2) / 1e6);
        }
        // Model management on whatever checkpoints exist.
        for (int i = 0; i < Math.max(5, cycles); i++) {
            timed(lat, "models list", () -> admin.send("GET", "/api/v1/models?size=20", null));
        }
        return lat;
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return Api.JSON.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    interface Call {
        HttpResponse<String> send() throws Exception;
    }

    private static java.util.Optional<HttpResponse<String>> timed(Latencies lat, String label, Call call) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = call.send();
        long t = System.nanoTime() - t0;
        if (r.statusCode() >= 400) {
            // Said in the run's log: an error's status and problem tell whose it is.
            System.out.println("[storm] " + label + " answered " + r.statusCode() + ": " + r.body());
            lat.error(label);
            return java.util.Optional.empty();
        }
        lat.record(label, t);
        return java.util.Optional.of(r);
    }
}
