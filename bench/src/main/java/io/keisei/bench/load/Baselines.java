package io.keisei.bench.load;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The floors the suite's figures are compared with, measured in the same run: a raw Redis
 * XADD → XREAD round trip (what every live message costs at least) and a raw PostgreSQL primary-key
 * read of a session (what a status read would cost if it went to the database).
 */
final class Baselines {

    private Baselines() {
    }

    static Latencies redisRoundTrip(String host, int port, int n) throws Exception {
        Latencies lat = new Latencies();
        String stream = "bench:baseline:" + System.nanoTime();
        try (Jedis writer = new Jedis(host, port); Jedis reader = new Jedis(host, port)) {
            StreamEntryID last = new StreamEntryID(0, 0);
            for (int i = 0; i < n; i++) {
                StreamEntryID from = last;
                CompletableFuture<List<Map.Entry<String, List<StreamEntry>>>> read = CompletableFuture.supplyAsync(() ->
                        reader.xread(XReadParams.xReadParams().block(2000).count(1), Map.of(stream, from)));
                Thread.sleep(1);
                long t0 = System.nanoTime();
                writer.xadd(stream, XAddParams.xAddParams().maxLen(1000).approximateTrimming(), Map.of("data", "{\"v\":1,\"i\":" + i + "}"));
                List<Map.Entry<String, List<StreamEntry>>> got = read.get(5, TimeUnit.SECONDS);
                long t1 = System.nanoTime();
                if (got == null || got.isEmpty()) {
                    lat.error("redis xadd→xread");
                    continue;
                }
                last = got.get(0).getValue().get(0).getID();
                lat.record("redis xadd→xread", t1 - t0);
            }
            writer.del(stream);
        }
        return lat;
    }

    static Latencies postgresSessionRead(String jdbcUrl, String sessionId, int n) throws SQLException {
        Latencies lat = new Latencies();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             PreparedStatement ps = c.prepareStatement("SELECT * FROM training.sessions WHERE id = ?")) {
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                ps.setString(1, sessionId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rs.getString(1);
                    }
                }
                lat.record("postgres session by id", System.nanoTime() - t0);
            }
        }
        return lat;
    }
}
