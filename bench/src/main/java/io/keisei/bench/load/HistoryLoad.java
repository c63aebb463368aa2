package io.keisei.bench.load;

import io.keisei.contracts.MetricUpdate;
import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.Streams;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.XAddParams;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A long run for history queries: metric records published on the real stream protocol (as a
 * trainer does, without the training), ingested by metrics-service, then queried through the
 * gateway at random zooms with max_points=1000. One spike is planted to check it survives.
 */
final class HistoryLoad {

    static final long SPIKE_STEP_FRACTION = 3;

    private HistoryLoad() {
    }

    /**
     * Creates a session (never started: its history is published here, as a trainer would) and publishes
     * {@code steps} records of 4 metrics each; returns the session id.
     */
    static String publish(Api admin, String host, int port, long steps) throws Exception {
        String session = admin.json("POST", "/api/v1/sessions",
                "{\"name\":\"bench-history-" + System.currentTimeMillis() + "\",\"template\":\"quick-cpu\"}").path("id").asText();
        long spike = steps / SPIKE_STEP_FRACTION;
        try (Jedis j = new Jedis(host, port)) {
            Pipeline p = j.pipelined();
            for (long s = 1; s <= steps; s++) {
                Map<String, Double> m = new LinkedHashMap<>();
                double x = s / (double) steps;
                m.put("ppo/policy_loss", s == spike ? 1000.0 : -0.02 + 0.01 * Math.sin(s / 50.0));
                m.put("ppo/value_loss", 1.0 - 0.5 * x);
                m.put("episode_reward_mean", x);
                m.put("steps_per_second", 900 + ThreadLocalRandom.current().nextDouble(100));
                p.xadd(Streams.METRICS, XAddParams.xAddParams().maxLen(Streams.METRICS_MAXLEN).approximateTrimming(),
                        StreamCodec.toEntry(MetricUpdate.of(session, 1, s, System.currentTimeMillis(), m)));
                if (s % 5000 == 0) {
                    p.sync();
                }
            }
            p.sync();
        }
        return session;
    }

    static boolean ingested(Api api, String session, long steps) {
        try {
            var latest = api.json("GET", "/api/v1/sessions/" + session + "/metrics/latest", null);
            return latest.toString().contains("\"step\":" + steps) || latest.path("step").asLong() == steps;
        } catch (Exception e) {
            return false;
        }
    }

    static Latencies query(Api api, String session, long steps, int queries) throws Exception {
        Latencies lat = new Latencies();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < queries; i++) {
            long from = i % 4 == 0 ? 0 : r.nextLong(steps);
            long to = i % 4 == 0 ? steps : Math.min(steps, from + Math.max(1000, r.nextLong(steps - from + 1)));
            String path = "/api/v1/sessions/" + session + "/metrics?names=ppo/policy_loss,ppo/value_loss&from=" + from + "&to=" + to
                    + "&max_points=1000";
            long t0 = System.nanoTime();
            var resp = api.send("GET", path, null);
            long t = System.nanoTime() - t0;
            if (resp.statusCode() != 200) {
                lat.error("history 1000 points");
            } else {
                lat.record("history 1000 points", t);
            }
        }
        return lat;
    }

    /** True when the full-range 1000-point view still shows the planted spike. */
    static boolean spikeVisible(Api api, String session, long steps) throws Exception {
        var resp = api.send("GET", "/api/v1/sessions/" + session + "/metrics?names=ppo/policy_loss&from=0&to=" + steps + "&max_points=1000", null);
        return resp.statusCode() == 200 && resp.body().contains("1000.0");
    }
}
