package io.keisei.resource.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.OptionalLong;

/** resource-service settings. Env: KEISEI_RESOURCES_LOCAL_CPU_MILLIS and so on. */
@ConfigMapping(prefix = "keisei.resources")
public interface ResourceConfig {

    Local local();

    /** The local-host pool. */
    interface Local {
        /** Name of the pool that stands for this host. */
        @WithDefault("local")
        String poolName();

        /** Overrides the discovered CPU capacity (millicores). */
        OptionalLong cpuMillis();

        /** Overrides the discovered memory capacity (MiB). */
        OptionalLong memoryMb();
    }
}
