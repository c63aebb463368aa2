package io.keisei.training.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.CheckpointHeader;
import io.keisei.contracts.CheckpointInfo;
import io.keisei.contracts.api.Checkpoint;
import io.keisei.contracts.api.SessionState;
import io.keisei.training.persistence.AttemptEntity;
import io.keisei.training.persistence.CheckpointEntity;
import io.keisei.training.persistence.SessionEntity;
import io.keisei.training.persistence.SessionFiles;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The model registry: checkpoints registered from checkpoint.saved events. Metadata comes from
 * the database (filled from the event and the checkpoint header once, at registration), never
 * from parsing files per request. Paths come only from trainers and must lie inside this
 * service's session directories.
 */
@ApplicationScoped
public class CheckpointRegistry {

    private static final Logger LOG = Logger.getLogger(CheckpointRegistry.class);

    private final SessionFiles files;
    private final ObjectMapper json;

    public CheckpointRegistry(SessionFiles files, ObjectMapper json) {
        this.files = files;
        this.json = json;
    }

    /** Registers a saved checkpoint (idempotent by path) and makes it the session's latest when newer. */
    public void register(String session, int attempt, CheckpointInfo info) {
        Optional<Path> file = files.regularFileOf(session, Path.of(info.path()));
        if (file.isEmpty()) {
            LOG.warnf("ignoring checkpoint of session %s that is not a regular file inside its directory (or is reached "
                    + "through a link): %s", session, info.path());
            return;
        }
        Path path = file.get();
        JsonNode header = readHeader(path);
        QuarkusTransaction.requiringNew().run(() -> {
            SessionEntity s = SessionEntity.findById(session, LockModeType.PESSIMISTIC_WRITE);
            if (s == null) {
                return;
            }
            CheckpointEntity existing = CheckpointEntity.find("path", path.toAbsolutePath().normalize().toString()).firstResult();
            CheckpointEntity c = existing != null ? existing : new CheckpointEntity();
            if (existing == null) {
                c.id = "ck-" + HexFormat.of().formatHex(java.util.UUID.randomUUID().toString().getBytes(), 0, 6)
                        + "-" + info.step();
                c.path = path.toAbsolutePath().normalize().toString();
                c.sessionId = session;
            }
            c.attempt = attempt;
            c.step = info.step();
            c.sizeBytes = info.sizeBytes();
            c.sha256 = info.sha256();
            c.architecture = header.path("architecture").isMissingNode() ? "{}" : header.path("architecture").toString();
            c.metrics = header.path("metrics").isMissingNode() ? "{}" : header.path("metrics").toString();
            c.createdAt = Instant.now();
            if (existing == null) {
                c.persist();
            }
            CheckpointEntity latest = s.latestCheckpointId == null ? null : CheckpointEntity.findById(s.latestCheckpointId);
            if (latest == null || latest.step <= c.step) {
                s.latestCheckpointId = c.id;
            }
            s.currentStep = Math.max(s.currentStep, c.step);
        });
    }

    private JsonNode readHeader(Path path) {
        try (InputStream in = SessionFiles.openNoFollow(path); java.io.DataInputStream d = new java.io.DataInputStream(in)) {
            return CheckpointHeader.read(d);
        } catch (IOException | RuntimeException e) {
            // Custom trainers write their own formats (e.g. Keisei's .pth): metadata then comes from the event only.
            return json.createObjectNode();
        }
    }

    public List<Checkpoint> list(String session, int page, int size) {
        String q = session == null ? "1 = 1" : "sessionId = ?1";
        Object[] params = session == null ? new Object[0] : new Object[]{session};
        return CheckpointEntity.<CheckpointEntity>find(q, Sort.descending("step").and("createdAt", Sort.Direction.Descending), params)
                .page(Page.of(page, size)).list().stream().map(this::toCheckpoint).toList();
    }

    public long count(String session) {
        return session == null ? CheckpointEntity.count() : CheckpointEntity.count("sessionId", session);
    }

    public Checkpoint get(String id) {
        return toCheckpoint(entity(id));
    }

    CheckpointEntity entity(String id) {
        CheckpointEntity c = CheckpointEntity.findById(id);
        if (c == null) {
            throw ProblemException.notFound("model", id);
        }
        return c;
    }

    /**
     * A checkpoint's file, open for reading: a regular file inside its session's directory, reached
     * through no link and opened without following one.
     */
    public FileChannel open(Checkpoint c) {
        Path p = files.regularFileOf(c.session(), Path.of(entity(c.id()).path))
                .orElseThrow(() -> ProblemException.notFound("model file", c.id()));
        try {
            return FileChannel.open(p, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw ProblemException.notFound("model file", c.id());
        }
    }

    /** Deletes a checkpoint unless a live attempt resumes from it. */
    public void delete(String id) {
        Path toDelete = QuarkusTransaction.requiringNew().call(() -> {
            CheckpointEntity c = entity(id);
            SessionEntity s = SessionEntity.findById(c.sessionId, LockModeType.PESSIMISTIC_WRITE);
            if (s != null && SessionState.fromWire(s.state).isActive()) {
                AttemptEntity a = AttemptEntity.find(s.id, s.attemptCount);
                if (a != null && id.equals(a.resumeCheckpointId)) {
                    throw ProblemException.conflict("model '" + id + "' is the checkpoint the running attempt of session '"
                            + s.id + "' resumed from", s.state);
                }
            }
            c.delete();
            if (s != null && id.equals(s.latestCheckpointId)) {
                CheckpointEntity next = CheckpointEntity.<CheckpointEntity>find("sessionId = ?1 and id <> ?2",
                        Sort.descending("step"), s.id, id).firstResult();
                s.latestCheckpointId = next == null ? null : next.id;
            }
            return Path.of(c.path);
        });
        try {
            if (files.isInside(toDelete)) {
                Files.deleteIfExists(toDelete);
            }
        } catch (IOException e) {
            LOG.warnf("model %s unregistered but its file could not be deleted: %s", id, e.getMessage());
        }
    }

    private Checkpoint toCheckpoint(CheckpointEntity c) {
        try {
            return new Checkpoint(c.id, c.sessionId, c.attempt, c.step, c.sizeBytes, c.sha256, json.readTree(c.architecture),
                    json.readTree(c.metrics), c.createdAt);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
