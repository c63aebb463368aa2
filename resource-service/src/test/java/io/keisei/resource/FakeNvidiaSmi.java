package io.keisei.resource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Installs one of the fake nvidia-smi scripts of src/test/resources/fake-nvidia-smi as an
 * executable called "nvidia-smi" in a directory (to put on PATH or to point the configured command
 * at). Copied, because build tools do not keep the executable bit of resources.
 */
public final class FakeNvidiaSmi {

    public static final String ONE_GPU = "nvidia-smi-1gpu";
    public static final String TWO_GPUS = "nvidia-smi-2gpu";
    public static final String EIGHT_GPUS = "nvidia-smi-8gpu";
    public static final String FAILS = "nvidia-smi-fails";
    public static final String HANGS = "nvidia-smi-hangs";

    private FakeNvidiaSmi() {
    }

    /** A new directory holding {@code fixture} as an executable "nvidia-smi"; returns the executable. */
    public static Path install(String fixture) {
        try {
            Path dir = Files.createTempDirectory("fake-nvidia-smi-");
            return install(fixture, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts {@code fixture} at dir/nvidia-smi, replacing what is there (atomically: a poller may be running it). */
    public static Path install(String fixture, Path dir) {
        Path target = dir.resolve("nvidia-smi");
        try (InputStream in = FakeNvidiaSmi.class.getResourceAsStream("/fake-nvidia-smi/" + fixture)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + fixture);
            }
            Path tmp = Files.createTempFile(dir, "nvidia-smi-", ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
