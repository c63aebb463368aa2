package io.keisei.resource;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.HashMap;
import java.util.Map;

/**
 * A small local pool with fake GPUs: 4000m CPU, 8192 MiB, 4 GPUs, named "small" so it never
 * touches the default "local" pool of other tests. No periodic rescan, so every grant a test sees
 * comes from a request or a release. No quotas: these tests are about capacity (quota tests use
 * {@link PolicyProfile}). Subclasses add settings with {@link #extra()}.
 */
public class SmallPoolProfile implements QuarkusTestProfile {

    public static final String POOL = "small";
    public static final long CPU = 4000;
    public static final long MEMORY = 8192;
    public static final int GPUS = 4;

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(Map.of(
                "keisei.resources.local.pool-name", POOL,
                "keisei.resources.local.cpu-millis", String.valueOf(CPU),
                "keisei.resources.local.memory-mb", String.valueOf(MEMORY),
                "keisei.resources.local.gpu-count", String.valueOf(GPUS),
                "keisei.resources.queue.rescan-interval", "off",
                "keisei.resources.events.block", "200ms"));
        for (String role : new String[]{"admin", "trainer", "researcher", "viewer"}) {
            config.put("keisei.resources.quotas." + role + ".concurrent-sessions", "-1");
            config.put("keisei.resources.quotas." + role + ".gpu-hours-per-day", "-1");
        }
        config.putAll(extra());
        return config;
    }

    protected Map<String, String> extra() {
        return Map.of();
    }
}
