package io.keisei.training.persistence;

import io.keisei.training.config.TrainingServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a session's files live: {@code <data>/sessions/<id>/} with the trainer log, one config
 * file per attempt and the checkpoints. Paths are built from session ids the service generated,
 * never from user input, and {@link #isInside} guards every path that comes from elsewhere.
 */
@ApplicationScoped
public class SessionFiles {

    private final Path root;

    @Inject
    public SessionFiles(TrainingServiceConfig config) {
        this(Path.of(config.dataDir()));
    }

    public SessionFiles(Path dataDir) {
        this.root = dataDir.toAbsolutePath().normalize().resolve("sessions");
    }

    /** The data directory (absolute) that holds the session directories. */
    public Path dataDir() {
        return root.getParent();
    }

    public Path dir(String session) {
        return root.resolve(session);
    }

    public Path log(String session) {
        return dir(session).resolve("trainer.log");
    }

    /** The config file of one attempt, e.g. {@code attempt-2-config.toml} for {@code config.toml}. */
    public Path config(String session, int attempt, String fileName) {
        return dir(session).resolve("attempt-" + attempt + "-" + fileName);
    }

    /** An evaluation's directory (its match's result file and log), beside the session directories. */
    public Path evaluationDir(String evaluation) {
        return dataDir().resolve("evaluations").resolve(evaluation);
    }

    public Path checkpoints(String session) {
        return dir(session).resolve("checkpoints");
    }

    /** True when {@code path}, as written, lies inside this service's session directories (no file system access). */
    public boolean isInside(Path path) {
        Path p = path.toAbsolutePath().normalize();
        return p.startsWith(root);
    }

    /**
     * The regular file at {@code path} when it lies inside {@code session}'s directory and no part of
     * it below the data directory is a symbolic link; empty otherwise. Paths come from trainers, which
     * can write into that directory: comparing text alone would let a link lead anywhere (a token file,
     * another session's checkpoint).
     */
    public Optional<Path> regularFileOf(String session, Path path) {
        Path p = path.toAbsolutePath().normalize();
        Path dir = dir(session);
        if (!p.startsWith(dir) || p.equals(dir)) {
            return Optional.empty();
        }
        try {
            Path realRoot = root.toRealPath();
            Path expected = realRoot.resolve(root.relativize(p));
            if (!p.toRealPath().equals(expected) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            return Optional.of(p);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Opens a file found by {@link #regularFileOf} without following a link put in its place since. */
    public static InputStream openNoFollow(Path file) throws IOException {
        return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS, StandardOpenOption.READ);
    }

    public void deleteAll(String session) {
        Path dir = dir(session);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
