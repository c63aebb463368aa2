package io.keisei.resource;

import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What must hold after an {@link AllocationStorm} has run and been drained: every request of the
 * run is released; each one that was not cancelled while queued was granted; every grant and every
 * release was announced on keisei:events exactly once.
 */
public final class StormVerdict {

    private StormVerdict() {
    }

    /**
     * @param events every lifecycle event on keisei:events (those of other runs are ignored)
     */
    public static void check(AllocationStorm.Outcome outcome, String runPrefix, Connection db, List<LifecycleEvent> events)
            throws Exception {
        assertThat(outcome.failures()).isEmpty();
        Set<String> everGranted = new HashSet<>();
        try (PreparedStatement ps = db.prepareStatement(
                "SELECT id, state, granted_at IS NOT NULL FROM resource.allocations WHERE session LIKE ?")) {
            ps.setString(1, runPrefix + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    assertThat(rs.getString(2)).as("state of %s", id).isEqualTo("released");
                    if (rs.getBoolean(3)) {
                        everGranted.add(id);
                    } else {
                        assertThat(outcome.cancelled()).as("%s was never granted but not cancelled", id).contains(id);
                    }
                }
            }
        }
        assertThat(everGranted).hasSizeGreaterThanOrEqualTo(outcome.created().size() - outcome.cancelled().size());

        Map<String, Integer> grantedEvents = new HashMap<>();
        Map<String, Integer> releasedEvents = new HashMap<>();
        for (LifecycleEvent e : events) {
            if (!e.session().startsWith(runPrefix)) {
                continue;
            }
            if (e.type() == EventType.ALLOCATION_GRANTED) {
                grantedEvents.merge(e.allocation().allocationId(), 1, Integer::sum);
            } else if (e.type() == EventType.ALLOCATION_RELEASED) {
                releasedEvents.merge(e.allocation().allocationId(), 1, Integer::sum);
            }
        }
        assertThat(grantedEvents.keySet()).isEqualTo(everGranted);
        assertThat(releasedEvents.keySet()).isEqualTo(outcome.created());
        assertThat(grantedEvents).as("each grant announced once").allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
        assertThat(releasedEvents).as("each release announced once").allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
    }
}
