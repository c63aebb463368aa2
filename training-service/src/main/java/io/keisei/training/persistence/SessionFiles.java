package io.keisei.training.persistence;

import io.keisei.training.config.TrainingServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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

    public Path dir(String session) {
        return root.resolve(session);
    }

    public Path log(String session) {
        return dir(session).resolve("trainer.log");
    }

    public Path config(String session, int attempt) {
        return dir(session).resolve("attempt-" + attempt + "-config.json");
    }

    public Path checkpoints(String session) {
        return dir(session).resolve("checkpoints");
    }

    /** True when {@code path} resolves inside this service's session directories. */
    public boolean isInside(Path path) {
        Path p = path.toAbsolutePath().normalize();
        return p.startsWith(root);
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
