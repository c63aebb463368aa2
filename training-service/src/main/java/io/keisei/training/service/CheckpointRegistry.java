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
import jakarta.enterprise.event.Event;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

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
    private final SessionService sessions;
    private final Event<CheckpointRegistered> registered;

    public CheckpointRegistry(SessionFiles files, ObjectMapper json, SessionService sessions,
                              Event<CheckpointRegistered> registered) {
        this.files = files;
        this.json = json;
        this.sessions = sessions;
        this.registered = registered;
    }

    /**
     * Registers a saved checkpoint (idempotent by path) and makes it the session's latest when newer. A new one of a
     * session with gating on waits for its gate ({@code pending}), and the gate is told once that is committed.
     */
    public void register(String session, int attempt, CheckpointInfo info) {
        Optional<Path> file = files.regularFileOf(session, Path.of(info.path()));
        if (file.isEmpty()) {
            LOG.warnf("ignoring checkpoint of session %s that is not a regular file inside its directory (or is reached "
                    + "through a link): %s", session, info.path());
            return;
        }
        Path path = file.get();
        JsonNode header = readHeader(path);
        String toGate = QuarkusTransaction.requiringNew().call(() -> {
            SessionEntity s = SessionEntity.findById(session, LockModeType.PESSIMISTIC_WRITE);
            if (s == null) {
                return null;
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
            // A file without our header (Keisei's .pt) has its metrics announced with it (the Keisei bridge).
            c.metrics = !header.path("metrics").isMissingNode() ? header.path("metrics").toString()
                    : info.metrics() != null ? json.valueToTree(new java.util.TreeMap<>(info.metrics())).toString() : "{}";
            c.createdAt = Instant.now();
            if (existing == null) {
                c.gate = sessions.gatingOf(s).isOn() ? Checkpoint.GATE_PENDING : Checkpoint.GATE_NONE;
                c.persist();
            }
            CheckpointEntity latest = s.latestCheckpointId == null ? null : CheckpointEntity.findById(s.latestCheckpointId);
            if (latest == null || latest.step <= c.step) {
                s.latestCheckpointId = c.id;
            }
            s.currentStep = Math.max(s.currentStep, c.step);
            return existing == null && Checkpoint.GATE_PENDING.equals(c.gate) ? c.id : null;
        });
        if (toGate != null) {
            try {
                registered.fire(new CheckpointRegistered(session, toGate));
            } catch (RuntimeException e) {
                // Registered either way; the gate picks it up again at its next turn or at startup.
                LOG.warnf(e, "checkpoint %s of session %s: its gate could not be started", toGate, session);
            }
        }
    }

    private JsonNode readHeader(Path path) {
        try (InputStream in = SessionFiles.openNoFollow(path); java.io.DataInputStream d = new java.io.DataInputStream(in)) {
            return CheckpointHeader.read(d);
        } catch (IOException | RuntimeException e) {
            // Custom trainers write their own formats (e.g. Keisei's .pth): metadata then comes from the event only.
            return json.createObjectNode();
        }
    }

    /**
     * A page of models, newest step first: of one session or all ({@code session} null), only sessions' bests when
     * {@code bestOnly}.
     */
    public List<Checkpoint> list(String session, boolean bestOnly, int page, int size) {
        Filter f = Filter.of(session, bestOnly);
        List<CheckpointEntity> rows = CheckpointEntity.<CheckpointEntity>find(f.query(),
                Sort.descending("step").and("createdAt", Sort.Direction.Descending), f.params())
                .page(Page.of(page, size)).list();
        Set<String> bests = bestsOf(rows.stream().map(c -> c.sessionId).collect(Collectors.toSet()));
        return rows.stream().map(c -> toCheckpoint(c, bests.contains(c.id))).toList();
    }

    public long count(String session, boolean bestOnly) {
        Filter f = Filter.of(session, bestOnly);
        return CheckpointEntity.count(f.query(), f.params());
    }

    /** The optional session and best filters of the model list, as a query and its parameters. */
    private record Filter(String query, Map<String, Object> params) {
        static Filter of(String session, boolean bestOnly) {
            StringBuilder q = new StringBuilder("1 = 1");
            Map<String, Object> params = new HashMap<>();
            if (session != null) {
                q.append(" and sessionId = :session");
                params.put("session", session);
            }
            if (bestOnly) {
                q.append(" and id in (select s.bestCheckpointId from SessionEntity s where s.bestCheckpointId is not null)");
            }
            return new Filter(q.toString(), params);
        }
    }

    /** The best models of these sessions, in one query. */
    private static Set<String> bestsOf(Set<String> sessions) {
        if (sessions.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(SessionEntity.getEntityManager().createQuery("select s.bestCheckpointId from SessionEntity s "
                + "where s.id in :ids and s.bestCheckpointId is not null", String.class).setParameter("ids", sessions)
                .getResultList());
    }

    public Checkpoint get(String id) {
        CheckpointEntity c = entity(id);
        SessionEntity s = SessionEntity.findById(c.sessionId);
        return toCheckpoint(c, s != null && id.equals(s.bestCheckpointId));
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
            if (s != null && id.equals(s.bestCheckpointId)) {
                // No best until gating marks one again: the next gated checkpoint becomes it.
                s.bestCheckpointId = null;
            }
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

    private Checkpoint toCheckpoint(CheckpointEntity c, boolean best) {
        try {
            return new Checkpoint(c.id, c.sessionId, c.attempt, c.step, c.sizeBytes, c.sha256, json.readTree(c.architecture),
                    json.readTree(c.metrics), c.createdAt, best, c.gateApi());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
