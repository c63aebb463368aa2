package io.keisei.gateway;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain socket, for what the JDK client will not send: a single frame of any
 * size, or a message cut into frames of a chosen size. Reads only what the tests need (text and close).
 */
final class RawWebSocket implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    /** The server's answer to the upgrade request: status line and headers. */
    final String handshake;
    /** The reason of the server's close frame, once {@link #awaitClose} has seen one. */
    volatile String closeReason;

    RawWebSocket(URI ws) throws IOException {
        this(ws, Map.of());
    }

    /** Opens a WebSocket, sending {@code headers} with the upgrade request (say, a proxy's X-Forwarded-For). */
    RawWebSocket(URI ws, Map<String, String> headers) throws IOException {
        socket = new Socket(ws.getHost(), ws.getPort());
        socket.setSoTimeout(15_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
        StringBuilder extra = new StringBuilder();
        headers.forEach((k, v) -> extra.append(k).append(": ").append(v).append("\r\n"));
        out.write(("GET " + ws.getPath() + " HTTP/1.1\r\nHost: " + ws.getHost() + ":" + ws.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n" + extra + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        handshake = readHead(in);
        if (!handshake.startsWith("HTTP/1.1 101")) {
            throw new IOException("no upgrade: " + handshake);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed during the handshake");
            }
            b.write(c);
            matched = (c == '\r' && (matched == 0 || matched == 2)) || (c == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    /** Sends one masked frame; false when the server closed the connection while it was being written. */
    boolean sendFrame(int opcode, boolean fin, byte[] payload) {
        try {
            int n = payload.length;
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.write((fin ? 0x80 : 0) | opcode);
            if (n < 126) {
                head.write(0x80 | n);
            } else if (n < 65536) {
                head.write(0x80 | 126);
                head.write(n >>> 8);
                head.write(n);
            } else {
                head.write(0x80 | 127);
                for (int i = 7; i >= 0; i--) {
                    head.write((int) ((long) n >>> (8 * i)));
                }
            }
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            head.write(mask);
            out.write(head.toByteArray());
            byte[] masked = new byte[Math.min(n, 64 * 1024)];
            for (int off = 0; off < n; off += masked.length) {
                int len = Math.min(masked.length, n - off);
                for (int i = 0; i < len; i++) {
                    masked[i] = (byte) (payload[off + i] ^ mask[(off + i) & 3]);
                }
                out.write(masked, 0, len);
            }
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    void sendText(String text) {
        sendFrame(0x1, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The next text frame's payload, or null when the server closed first. */
    String readText() throws IOException {
        while (true) {
            int b0 = in.readUnsignedByte();
            byte[] payload = readPayload();
            int opcode = b0 & 0x0f;
            if (opcode == 0x1) {
                return new String(payload, StandardCharsets.UTF_8);
            }
            if (opcode == 0x8) {
                return null;
            }
        }
    }

    /** The status code of the server's close frame (skipping anything before it); -1 if the socket ended without one. */
    int awaitClose() {
        return awaitClose(Duration.ofSeconds(15));
    }

    /** As {@link #awaitClose()}; 0 when nothing arrived within {@code timeout} (the connection is still open). */
    int awaitClose(Duration timeout) {
        try {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            while (true) {
                int b0 = in.readUnsignedByte();
                byte[] payload = readPayload();
                if ((b0 & 0x0f) == 0x8) {
                    closeReason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                    return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                }
            }
        } catch (SocketTimeoutException e) {
            return 0;
        } catch (IOException e) {
            return -1;
        }
    }

    private byte[] readPayload() throws IOException {
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return payload;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
