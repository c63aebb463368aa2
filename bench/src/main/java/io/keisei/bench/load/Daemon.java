package io.keisei.bench.load;

import java.util.concurrent.ThreadFactory;

/** Daemon threads for the harness's pools: a finished or failed run must let the JVM exit. */
final class Daemon {

    static final ThreadFactory THREADS = r -> {
        Thread t = new Thread(r, "bench-worker");
        t.setDaemon(true);
        return t;
    };

    private Daemon() {
    }
}
