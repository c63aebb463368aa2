package io.keisei.trainer.run;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded queue of stream entries waiting to be sent. Training never blocks on Redis: when
 * the queue is full (Redis down for a while) the oldest entries are dropped and counted, so the
 * newest state always gets through once Redis is back.
 */
public final class OutboundBuffer {

    /** One XADD to perform. */
    public record Entry(String stream, Map<String, String> fields, long maxLen) {
    }

    private final int capacity;
    private final ArrayDeque<Entry> queue;
    private final AtomicLong dropped = new AtomicLong();

    public OutboundBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1");
        }
        this.capacity = capacity;
        this.queue = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    public synchronized void offer(Entry e) {
        if (queue.size() == capacity) {
            queue.pollFirst();
            dropped.incrementAndGet();
        }
        queue.addLast(e);
        notifyAll();
    }

    /** The oldest entry without removing it, waiting up to {@code waitMillis}; null if none. */
    public synchronized Entry peek(long waitMillis) throws InterruptedException {
        if (queue.isEmpty() && waitMillis > 0) {
            wait(waitMillis);
        }
        return queue.peekFirst();
    }

    /** Removes {@code e} if it is still the oldest entry (it may have been dropped meanwhile). */
    public synchronized void remove(Entry e) {
        if (queue.peekFirst() == e) {
            queue.pollFirst();
        }
        notifyAll();
    }

    public synchronized int size() {
        return queue.size();
    }

    public long dropped() {
        return dropped.get();
    }

    /** Waits until the queue is empty or the time is up; true when everything was sent. */
    public synchronized boolean awaitEmpty(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!queue.isEmpty()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }
}
