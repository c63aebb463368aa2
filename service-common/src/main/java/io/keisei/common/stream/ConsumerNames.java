package io.keisei.common.stream;

import java.lang.management.ManagementFactory;

/**
 * A stable consumer name per replica: the pod name on Kubernetes (HOSTNAME), plus the process id
 * locally, so a restarted replica with the same name picks up its own pending entries first.
 */
public final class ConsumerNames {

    private ConsumerNames() {
    }

    public static String forThisReplica(String configured) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            host = "local";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
