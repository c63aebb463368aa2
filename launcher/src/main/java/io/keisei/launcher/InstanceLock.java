package io.keisei.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An OS file lock on the data directory: released by the kernel when the launcher dies in any
 * way, so a crash never leaves a stale "already running".
 */
public final class InstanceLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or null when another launcher holds it. */
    public static InstanceLock tryAcquire(Path file) {
        try {
            Files.createDirectories(file.getParent());
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                ch.close();
                return null;
            }
            return new InstanceLock(ch, l);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    /** True when a running launcher holds the lock of this data directory. */
    public static boolean isHeld(Path file) {
        if (!Files.exists(file)) {
            return false;
        }
        InstanceLock probe = tryAcquire(file);
        if (probe == null) {
            return true;
        }
        probe.close();
        return false;
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the process is ending; the kernel releases the lock anyway
        }
    }
}
