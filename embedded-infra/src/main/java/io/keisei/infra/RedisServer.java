package io.keisei.infra;

import redis.embedded.core.RedisServerBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real Redis server (6.2, shipped in a Maven jar). With a data directory it keeps an
 * append-only file there, so streams survive a restart; without one it is memory only.
 */
public final class RedisServer implements AutoCloseable {

    private final redis.embedded.RedisServer server;
    private final int port;

    private RedisServer(redis.embedded.RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts Redis on loopback.
     *
     * @param dataDir where the append-only file lives; null for memory only
     * @param port    the port, 0 for any free one
     */
    public static RedisServer start(Path dataDir, int port) {
        int p = port == 0 ? FreePorts.pick() : port;
        try {
            RedisServerBuilder builder = redis.embedded.RedisServer.newRedisServer()
                    .executableProvider(RedisServer::binary)
                    .port(p)
                    .bind("127.0.0.1")
                    .setting("protected-mode no")
                    .setting("daemonize no")
                    .onShutdownForceStop(true);
            if (dataDir != null) {
                Files.createDirectories(dataDir);
                builder.setting("dir " + dataDir.toAbsolutePath())
                        .setting("appendonly yes")
                        // An entry Redis acknowledged survives a crash of Redis: a trainer drops what it sent once acked.
                        .setting("appendfsync always")
                        .setting("save 60 1");
            } else {
                builder.setting("save \"\"").setting("appendonly no");
            }
            redis.embedded.RedisServer server = builder.build();
            startRetryingTextFileBusy(server);
            return new RedisServer(server, p);
        } catch (IOException e) {
            throw new UncheckedIOException("Redis did not start on port " + p + ": " + e.getMessage(), e);
        }
    }

    /**
     * A process that another thread of this JVM forks while the binary is being written inherits
     * its open file for a moment (until it execs), and executing the binary then fails with
     * ETXTBSY, "Text file busy" (e.g. PostgreSQL's initdb starting in parallel). That passes: try again.
     */
    private static void startRetryingTextFileBusy(redis.embedded.RedisServer server) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                server.start();
                return;
            } catch (IOException e) {
                if (attempt >= 5 || !textFileBusy(e)) {
                    throw e;
                }
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static boolean textFileBusy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("Text file busy")) {
                return true;
            }
        }
        return false;
    }

    private static java.io.File binary;

    /**
     * The redis-server binary, extracted once per JVM into a directory of its own: re-extracting
     * over a binary that another server of this JVM is executing fails with "Text file busy".
     */
    private static synchronized java.io.File binary() throws IOException {
        if (binary == null) {
            java.io.File dir = Files.createTempDirectory("keisei-redis-").toFile();
            dir.deleteOnExit();
            binary = redis.embedded.core.ExecutableProvider.newJarResourceProvider(dir).get();
        }
        return binary;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("Redis did not stop cleanly", e);
        }
    }
}
