package io.keisei.resource;

import java.util.Map;

/**
 * {@link SmallPoolProfile} whose outbox timer runs once at start-up and then not for an hour, so a test
 * decides when rows are relayed (the nudge after each commit still relays at once), and whose backlog
 * counts as stale after one second.
 */
public class OutboxProfile extends SmallPoolProfile {

    @Override
    protected Map<String, String> extra() {
        return Map.of("keisei.resources.outbox.interval", "1h",
                "keisei.resources.outbox.lock-wait", "2s",
                "keisei.resources.outbox.stale-after", "1s");
    }
}
