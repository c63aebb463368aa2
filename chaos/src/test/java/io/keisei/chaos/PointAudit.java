package io.keisei.chaos;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares what must be stored (the {@link MetricLedger}) with what metrics-service stored in PostgreSQL, by
 * checksums over (session, metric, step, value) and, where they differ, by the points themselves.
 */
final class PointAudit {

    private static final String STORED = """
            SELECT s.session_id, s.metric, p.step, p.value
              FROM metrics.points p JOIN metrics.series s ON s.id = p.series_id
             WHERE s.session_id = ANY (?)""";

    /**
     * The outcome over the ledger's snapshot: how many points it says must be stored, how many of them are, the
     * checksums of both sides, and the first differences.
     */
    record Result(int published, int stored, String publishedChecksum, String storedChecksum, List<String> differences) {
        boolean equal() {
            return differences.isEmpty();
        }
    }

    private PointAudit() {
    }

    static Map<MetricLedger.Key, Double> stored(Connection c, Collection<String> sessions) throws Exception {
        Map<MetricLedger.Key, Double> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(STORED)) {
            ps.setArray(1, c.createArrayOf("text", sessions.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(new MetricLedger.Key(rs.getString(1), rs.getString(2), rs.getLong(3)), rs.getDouble(4));
                }
            }
        }
        return out;
    }

    /**
     * Every point the ledger expects is stored with its value, and nothing is stored that the ledger does not
     * know (once the ledger has caught up with the stream: {@code ledgerLater} is read after {@code stored}).
     */
    static Result compare(Map<MetricLedger.Key, Double> expected, Map<MetricLedger.Key, Double> stored,
                          Map<MetricLedger.Key, Double> ledgerLater) {
        List<String> diffs = new ArrayList<>();
        Map<MetricLedger.Key, Double> storedOfExpected = new HashMap<>();
        for (Map.Entry<MetricLedger.Key, Double> e : expected.entrySet()) {
            Double s = stored.get(e.getKey());
            if (s == null) {
                note(diffs, "missing " + e.getKey() + " = " + e.getValue());
            } else {
                storedOfExpected.put(e.getKey(), s);
                // A later record may have replaced the value since the snapshot: compare with the newest.
                Double want = ledgerLater.getOrDefault(e.getKey(), e.getValue());
                if (Double.doubleToLongBits(s) != Double.doubleToLongBits(want)) {
                    note(diffs, "changed " + e.getKey() + ": stored " + s + ", published " + want);
                }
            }
        }
        for (Map.Entry<MetricLedger.Key, Double> s : stored.entrySet()) {
            if (!ledgerLater.containsKey(s.getKey())) {
                note(diffs, "stored but never published (or superseded) " + s.getKey() + " = " + s.getValue());
            }
        }
        Map<MetricLedger.Key, Double> wanted = new HashMap<>();
        expected.keySet().forEach(k -> wanted.put(k, ledgerLater.getOrDefault(k, expected.get(k))));
        return new Result(expected.size(), storedOfExpected.size(), checksum(wanted), checksum(storedOfExpected), diffs);
    }

    /** Order-independent: the sum of SHA-256 prefixes of each point, with the count. */
    static String checksum(Map<MetricLedger.Key, Double> points) {
        long sum = 0;
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<MetricLedger.Key, Double> p : points.entrySet()) {
                sha.reset();
                sha.update((p.getKey().session() + '\0' + p.getKey().metric() + '\0' + p.getKey().step() + '\0')
                        .getBytes(StandardCharsets.UTF_8));
                sha.update(ByteBuffer.allocate(8).putLong(Double.doubleToLongBits(p.getValue())).array());
                sum += ByteBuffer.wrap(sha.digest()).getLong();
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return String.format("%d:%016x", points.size(), sum);
    }

    private static void note(List<String> diffs, String d) {
        if (diffs.size() < 20) {
            diffs.add(d);
        } else if (diffs.size() == 20) {
            diffs.add("…");
        }
    }
}
