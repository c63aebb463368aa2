package io.keisei.resource.discovery;

import java.net.InetAddress;

/** This host's name: $HOSTNAME (the pod name on Kubernetes), else what the resolver says. */
public final class HostName {

    private static final String NAME = find();

    private HostName() {
    }

    public static String get() {
        return NAME;
    }

    private static String find() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
