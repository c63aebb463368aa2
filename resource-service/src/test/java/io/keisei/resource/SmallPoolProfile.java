package io.keisei.resource;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * A small local pool with fake GPUs: 4000m CPU, 8192 MiB, 4 GPUs, named "small" so it never
 * touches the default "local" pool of other tests. No periodic rescan, so every grant a test sees
 * comes from a request or a release.
 */
public class SmallPoolProfile implements QuarkusTestProfile {

    public static final String POOL = "small";
    public static final long CPU = 4000;
    public static final long MEMORY = 8192;
    public static final int GPUS = 4;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "keisei.resources.local.pool-name", POOL,
                "keisei.resources.local.cpu-millis", String.valueOf(CPU),
                "keisei.resources.local.memory-mb", String.valueOf(MEMORY),
                "keisei.resources.local.gpu-count", String.valueOf(GPUS),
                "keisei.resources.queue.rescan-interval", "off",
                "keisei.resources.events.block", "200ms");
    }
}
