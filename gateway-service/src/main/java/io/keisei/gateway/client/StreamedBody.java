package io.keisei.gateway.client;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A downstream body read as it arrives, with back-pressure: the Vert.x response fills a small queue on its event loop
 * and is paused once {@value #HIGH_WATER} bytes wait unread; the consumer (a worker thread writing the public answer,
 * at the pace of the client) takes chunks off and resumes it once the queue is down to {@value #LOW_WATER}. So a
 * multi-GB model download holds at most a few hundred KB in the gateway, and a slow client slows the downstream
 * connection instead of filling memory.
 *
 * <p>Closing it before the end (the client went away, the caller did not want the body) resets the downstream
 * exchange: HTTP/1.1 cannot abandon a response otherwise, so its connection is closed, which frees its place in the
 * pool; the service sees the connection go. A service that sends nothing for {@code stallBound} while the consumer
 * waits fails the read (and the exchange), so a stalled body does not hold a worker thread for ever; a body that
 * nobody starts reading within as long is released the same way.
 */
final class StreamedBody extends InputStream {

    static final int HIGH_WATER = 256 * 1024;
    static final int LOW_WATER = 64 * 1024;

    private final HttpClientRequest request;
    private final HttpClientResponse response;
    private final Context context;
    private final long stallNanos;

    // Guarded by this: filled on the event loop, drained by the consumer.
    private final ArrayDeque<Buffer> chunks = new ArrayDeque<>();
    private long queued;
    private boolean paused;
    private boolean ended;
    private boolean closed;
    private Throwable failure;

    private volatile boolean touched;

    // The consumer's own.
    private Buffer current;
    private int position;

    /**
     * Takes the response over; call on its event loop, in the callback that handed it over (before any of its body
     * can arrive), with {@code prefix} what was read of the body before (null for nothing).
     */
    StreamedBody(HttpClientRequest request, HttpClientResponse response, Context context, Buffer prefix, Duration stallBound) {
        this.request = request;
        this.response = response;
        this.context = Objects.requireNonNull(context);
        this.stallNanos = stallBound.toNanos();
        if (prefix != null && prefix.length() > 0) {
            chunks.add(prefix);
            queued = prefix.length();
        }
        response.handler(this::arrived);
        response.endHandler(v -> ended());
        response.exceptionHandler(this::failed);
        if (queued >= HIGH_WATER) {
            paused = true;
            response.pause();
        }
        // A body nobody starts reading (an answer dropped on an error path) must not hold its connection for ever.
        context.owner().setTimer(Math.max(1, stallBound.toMillis()), id -> {
            if (!touched) {
                close();
            }
        });
    }

    private synchronized void arrived(Buffer chunk) {
        if (closed) {
            return;
        }
        chunks.add(chunk);
        queued += chunk.length();
        if (queued >= HIGH_WATER && !paused) {
            paused = true;
            response.pause();   // on the event loop: its own thread
        }
        notifyAll();
    }

    private synchronized void ended() {
        ended = true;
        notifyAll();
    }

    private synchronized void failed(Throwable t) {
        if (failure == null) {
            failure = t;
        }
        notifyAll();
    }

    /** Bytes queued and not yet read (for tests and diagnostics). */
    synchronized long queued() {
        return queued + (current == null ? 0 : current.length() - position);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (current == null || position == current.length()) {
            current = next();
            position = 0;
            if (current == null) {
                return -1;
            }
        }
        int n = Math.min(len, current.length() - position);
        current.getBytes(position, position + n, b, off);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return current == null ? 0 : current.length() - position;
    }

    /** The next chunk, waiting for it; null at the end of the body. */
    private Buffer next() throws IOException {
        touched = true;
        Buffer chunk;
        synchronized (this) {
            long deadline = System.nanoTime() + stallNanos;
            while (chunks.isEmpty() && !ended && failure == null && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    failure = new IOException("the service sent nothing for " + Duration.ofNanos(stallNanos).toMillis()
                            + " ms in the middle of its answer");
                    abandon();
                    break;
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while reading a downstream body");
                }
            }
            if (closed) {
                throw new IOException("the downstream body was closed");
            }
            chunk = chunks.poll();
            if (chunk == null) {
                if (failure != null) {
                    throw failure instanceof IOException io ? io : new IOException("the downstream body failed: " + failure, failure);
                }
                return null;   // ended
            }
            queued -= chunk.length();
            if (paused && queued <= LOW_WATER) {
                paused = false;
                context.runOnContext(v -> response.resume());
            }
        }
        return chunk;
    }

    /** Releases the body; before its end, abandons the exchange (the connection is closed and leaves the pool). */
    @Override
    public void close() {
        touched = true;
        boolean unfinished;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            unfinished = !ended && failure == null;
            chunks.clear();
            queued = 0;
            current = null;
            notifyAll();
        }
        if (unfinished) {
            abandon();
        }
    }

    private void abandon() {
        context.runOnContext(v -> {
            synchronized (this) {
                if (ended) {
                    return;   // complete after all: the connection may already serve another request, leave it be
                }
            }
            request.reset(0, new IOException("the gateway stopped reading the answer"));
        });
    }
}
