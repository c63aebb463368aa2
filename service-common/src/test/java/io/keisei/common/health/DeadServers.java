package io.keisei.common.health;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Local stand-ins for a dependency that is down, for tests: a port where nothing listens, a server
 * that accepts connections and never answers (a process stopped with SIGSTOP: the kernel still
 * completes the handshake), and one that closes each connection at the first byte (a crash mid-call).
 */
public final class DeadServers {

    private DeadServers() {
    }

    /** A local port where nothing listens (connections are refused). */
    public static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server that accepts every connection and never writes a byte; counts what it accepted. */
    public static Server hanging() {
        return new Server(false);
    }

    /** A server that closes every connection once the client sent something. */
    public static Server closing() {
        return new Server(true);
    }

    public static final class Server implements AutoCloseable {

        private final ServerSocket socket;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final AtomicInteger connections = new AtomicInteger();

        private Server(boolean closeAtFirstByte) {
            try {
                socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket c = socket.accept();
                        connections.incrementAndGet();
                        accepted.add(c);
                        if (closeAtFirstByte) {
                            c.getInputStream().read();
                            c.close();
                        }
                    } catch (IOException e) {
                        // closed
                    }
                }
            }, "dead-server");
            t.setDaemon(true);
            t.start();
        }

        public int port() {
            return socket.getLocalPort();
        }

        public int connections() {
            return connections.get();
        }

        @Override
        public void close() {
            try {
                socket.close();
                for (Socket s : accepted) {
                    s.close();
                }
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
