package io.keisei.resource;

import java.util.Map;

/**
 * The small pool with short leases, checked often: a lease lapses 8 s after the grant (long enough
 * for a test to set up on a loaded machine) or 3 s after the last heartbeat seen.
 */
public class LeaseProfile extends SmallPoolProfile {

    @Override
    protected Map<String, String> extra() {
        return Map.of(
                "keisei.resources.lease.startup-grace", "8s",
                "keisei.resources.lease.renewal", "3s",
                "keisei.resources.lease.check-interval", "200ms");
    }
}
