package io.keisei.chaos;

import io.keisei.contracts.Streams;
import redis.clients.jedis.Jedis;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The trainer processes of the test's sessions, found by the pid in their heartbeat keys. A trainer outlives a
 * SIGKILLed training-service (which re-attaches to it), so it is no longer the launcher's descendant: the test
 * stops the ones it saw when it ends.
 */
final class Trainers implements AutoCloseable {

    private final String url;
    private final List<String> sessions = new java.util.ArrayList<>();
    private final Set<Long> seen = new HashSet<>();

    Trainers(String url) {
        this.url = url;
    }

    void watch(List<String> ids) {
        sessions.addAll(ids);
        note();
    }

    /** Reads the current heartbeats; best effort (Redis may be down). */
    void note() {
        try (Jedis redis = new Jedis(URI.create(url), 2000, 2000)) {
            for (String s : sessions) {
                String pid = redis.get(Streams.heartbeat(s));
                if (pid != null && pid.matches("\\d+")) {
                    seen.add(Long.parseLong(pid));
                }
            }
        } catch (RuntimeException e) {
            // next time
        }
    }

    @Override
    public void close() {
        note();
        seen.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
    }
}
