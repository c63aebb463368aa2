package io.keisei.resource;

import java.util.HashMap;
import java.util.Map;

/** The small pool with the default per-role quotas and preemption on. */
public class PolicyProfile extends SmallPoolProfile {

    @Override
    protected Map<String, String> extra() {
        Map<String, String> config = new HashMap<>();
        quota(config, "admin", "-1", "-1");
        quota(config, "trainer", "2", "24");
        quota(config, "researcher", "1", "8");
        quota(config, "viewer", "0", "0");
        config.put("keisei.resources.preemption.enabled", "true");
        return config;
    }

    private static void quota(Map<String, String> config, String role, String sessions, String gpuHours) {
        config.put("keisei.resources.quotas." + role + ".concurrent-sessions", sessions);
        config.put("keisei.resources.quotas." + role + ".gpu-hours-per-day", gpuHours);
    }
}
