package io.keisei.metrics.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP link to a server (PostgreSQL, Redis) on a free local port that a test can break the ways a
 * dependency breaks: {@link #cut()} (the process is gone: connections closed, new ones refused),
 * {@link #hang()} (the process is stopped, SIGSTOP: connections open, nothing answers) and
 * {@link #restore()} (it is back on the same port; what a hang held is delivered).
 */
public final class FaultyLink implements AutoCloseable {

    private final String host;
    private final int upstreamPort;
    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private volatile ServerSocket server;
    private volatile boolean hung;

    public FaultyLink(String host, int upstreamPort) {
        this.host = host;
        this.upstreamPort = upstreamPort;
        listen(0);
        this.port = server.getLocalPort();
    }

    public int port() {
        return port;
    }

    /** Nothing flows any more, in either direction, on open and new connections alike. */
    public void hang() {
        hung = true;
    }

    /** Every connection closed, new ones refused. */
    public synchronized void cut() {
        hung = false;
        closeQuietly(server);
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    /** Connections go through again (on the same port). */
    public synchronized void restore() {
        if (server.isClosed()) {
            listen(port);
        }
        synchronized (gate) {
            hung = false;
            gate.notifyAll();
        }
    }

    @Override
    public synchronized void close() {
        restore();
        cut();
    }

    private void listen(int on) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), on), 50);
            server = s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServerSocket listening = server;
        Thread accept = new Thread(() -> {
            while (!listening.isClosed()) {
                try {
                    Socket client = listening.accept();
                    Socket upstream = new Socket(host, upstreamPort);
                    sockets.add(client);
                    sockets.add(upstream);
                    pump(client, upstream);
                    pump(upstream, client);
                } catch (IOException e) {
                    // closed, or the upstream refused: the client sees its connection close
                }
            }
        }, "faulty-link-accept");
        accept.setDaemon(true);
        accept.start();
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    awaitFlowing();
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "faulty-link-pump");
        t.setDaemon(true);
        t.start();
    }

    private void awaitFlowing() throws InterruptedException {
        synchronized (gate) {
            while (hung) {
                gate.wait(100);
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception ignored) {
            // already closed
        }
    }
}
