package io.keisei.resource.cluster;

import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.Streams;
import io.keisei.contracts.SystemStatus;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the cluster-mode system status tests share: their profile, and reading keisei:system from the real Redis. */
final class ClusterSystemStream {

    private ClusterSystemStream() {
    }

    /** Cluster mode with nothing else running on its own: no leases, no rescans. */
    public static class Cluster implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keisei.resources.mode", "kubernetes", "keisei.resources.kubernetes.settle", "100ms",
                    "keisei.resources.queue.rescan-interval", "off", "keisei.resources.lease.enabled", "false");
        }
    }

    /** The samples on keisei:system since {@code time} of the nodes named (the stream is shared with other tests). */
    static List<SystemStatus> samplesSince(RedisDataSource redis, long time, Set<String> nodes) {
        return redis.stream(String.class, String.class, String.class)
                .xrange(Streams.SYSTEM, io.quarkus.redis.datasource.stream.StreamRange.of("-", "+")).stream()
                .map(m -> StreamCodec.fromEntry(m.payload(), SystemStatus.class))
                .filter(s -> nodes.contains(s.node()) && s.time() >= time)
                .toList();
    }

    /** The newest sample of each node among {@code samples}. */
    static Map<String, SystemStatus> newestByNode(List<SystemStatus> samples) {
        Map<String, SystemStatus> out = new HashMap<>();
        samples.forEach(s -> out.merge(s.node(), s, (a, b) -> a.time() >= b.time() ? a : b));
        return out;
    }
}
