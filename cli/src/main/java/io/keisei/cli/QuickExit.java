package io.keisei.cli;

/**
 * Makes the JVM's exit quick. On Java 17, exit waits up to 300 ms for every thread that is in native code to come
 * back (VM_Exit::wait_for_threads_in_native_to_block), and the HTTP client's selector thread always is, in
 * epoll_wait: that was a third of a command's time. HttpClient has no close() before Java 21; interrupting its
 * selector thread makes it close its selector and end, which takes a few milliseconds. If the JDK names the thread
 * differently, nothing happens and the exit is only slower.
 */
final class QuickExit {

    private QuickExit() {
    }

    static void releaseSelectorThreads() {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        Thread[] threads = new Thread[group.activeCount() + 8];
        int n = group.enumerate(threads, true);
        for (int i = 0; i < n; i++) {
            Thread t = threads[i];
            if (t.isDaemon() && t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager")) {
                t.interrupt();
                try {
                    t.join(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
