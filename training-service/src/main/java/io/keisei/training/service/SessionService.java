package io.keisei.training.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.api.Checkpoint;
import io.keisei.contracts.api.GatingPolicy;
import io.keisei.contracts.api.Session;
import io.keisei.contracts.api.SessionAttempt;
import io.keisei.contracts.api.SessionState;
import io.keisei.training.persistence.AttemptEntity;
import io.keisei.training.persistence.CheckpointEntity;
import io.keisei.training.persistence.SessionEntity;
import io.keisei.training.persistence.SessionFiles;
import io.keisei.training.stream.LifecycleEventPublisher;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Creates, reads and lists training sessions; publishes their lifecycle events. */
@ApplicationScoped
public class SessionService {

    public static final String SOURCE = "training-service";

    private final ObjectMapper json;
    private final LifecycleEventPublisher publisher;
    private final SessionFiles files;

    public SessionService(ObjectMapper json, LifecycleEventPublisher publisher, SessionFiles files) {
        this.files = files;
        this.json = json;
        this.publisher = publisher;
    }

    /**
     * What a caller asks for when creating a session; config is already validated and complete, gating checked (null:
     * off), pool well-formed (null: the default pool; whether it exists is resource-service's answer at start).
     */
    public record NewSession(String name, String owner, String ownerRole, int priority, String template, String trainer,
                             JsonNode config, String resumeFromCheckpointId, GatingPolicy gating, String pool) {
    }

    public Session create(NewSession request) {
        Session created = QuarkusTransaction.requiringNew().call(() -> {
            Session s = persistNew(request);
            // In the outbox with the row; relayed after the commit, so a consumer that sees the event can read the session.
            publisher.stage(LifecycleEvent.of(EventType.SESSION_CREATED, s.id(), null, SOURCE, s.state().wire(), null));
            return s;
        });
        publisher.afterCommit();
        return created;
    }

    private Session persistNew(NewSession request) {
        SessionEntity e = new SessionEntity();
        e.id = UUID.randomUUID().toString();
        e.name = request.name();
        e.owner = request.owner();
        e.priority = request.priority();
        e.state = SessionState.CREATED.wire();
        e.config = request.config().toString();
        e.ownerRole = request.ownerRole();
        e.template = request.template();
        e.trainer = request.trainer();
        e.resumeFromCheckpointId = request.resumeFromCheckpointId();
        e.gating = gatingJson(request.gating());
        e.pool = request.pool();
        Instant now = Instant.now();
        e.createdAt = now;
        e.updatedAt = now;
        e.persist();
        return toSession(e);
    }

    /** Replaces the config of a session that holds no resources. */
    public Session updateConfig(String id, JsonNode config) {
        return QuarkusTransaction.requiringNew().call(() -> {
            SessionEntity e = SessionLifecycle.lock(id);
            SessionState s = SessionState.fromWire(e.state);
            if (s.isActive()) {
                throw ProblemException.conflict("session '" + id + "' is " + s.wire() + "; its config can change only while "
                        + "it is not queued or running", s.wire());
            }
            e.config = config.toString();
            e.updatedAt = Instant.now();
            return toSession(e);
        });
    }

    /**
     * Replaces the gating policy of a session (at any time: it rules the gates filed from now on; a gate in progress
     * ends by the new policy). Answers the policy with its defaults.
     */
    public GatingPolicy updateGating(String id, GatingPolicy gating) {
        return QuarkusTransaction.requiringNew().call(() -> {
            SessionEntity e = SessionLifecycle.lock(id);
            e.gating = gatingJson(gating);
            e.updatedAt = Instant.now();
            return gatingOf(e);
        });
    }

    /** A session's gating policy with its defaults; {@link GatingPolicy#OFF} when none was set. */
    public GatingPolicy gatingOf(SessionEntity e) {
        if (e.gating == null) {
            return GatingPolicy.OFF;
        }
        try {
            return json.readValue(e.gating, GatingPolicy.class).withDefaults();
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("stored gating policy of session " + e.id + " is not JSON", ex);
        }
    }

    private String gatingJson(GatingPolicy gating) {
        if (gating == null) {
            return null;
        }
        try {
            return json.writeValueAsString(gating.withDefaults());
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Deletes a session that holds no resources, with its attempts, checkpoints and files. */
    public void delete(String id) {
        QuarkusTransaction.requiringNew().run(() -> {
            SessionEntity e = SessionLifecycle.lock(id);
            SessionState s = SessionState.fromWire(e.state);
            if (s.isActive()) {
                throw ProblemException.conflict("session '" + id + "' is " + s.wire() + "; stop it before deleting it", s.wire());
            }
            io.keisei.training.persistence.CheckpointEntity.delete("sessionId", id);
            io.keisei.training.persistence.AttemptEntity.delete("sessionId", id);
            e.delete();
            publisher.stage(LifecycleEvent.of(EventType.SESSION_DELETED, id, null, SOURCE, null, null));
        });
        publisher.afterCommit();
        files.deleteAll(id);
    }

    public Session get(String id) {
        SessionEntity e = SessionEntity.findById(id);
        if (e == null) {
            throw ProblemException.notFound("session", id);
        }
        return toSession(e);
    }

    /** A page of sessions, newest first, optionally filtered by owner and state. */
    public List<Session> list(String owner, SessionState state, int page, int size) {
        Filter f = Filter.of(owner, state);
        return SessionEntity.<SessionEntity>find(f.query(), Sort.descending("createdAt").and("id"), f.params())
                .page(Page.of(page, size)).list().stream().map(this::toSession).toList();
    }

    public long count(String owner, SessionState state) {
        Filter f = Filter.of(owner, state);
        return SessionEntity.count(f.query(), f.params());
    }

    /** The optional owner and state filters of the session list, as a query and its parameters. */
    private record Filter(String query, Map<String, Object> params) {
        static Filter of(String owner, SessionState state) {
            StringBuilder q = new StringBuilder("1 = 1");
            Map<String, Object> params = new HashMap<>();
            if (owner != null) {
                q.append(" and owner = :owner");
                params.put("owner", owner);
            }
            if (state != null) {
                q.append(" and state = :state");
                params.put("state", state.wire());
            }
            return new Filter(q.toString(), params);
        }
    }

    /** The stored effective config of a session. */
    /** Attempts of a session, oldest first. */
    public List<SessionAttempt> attempts(String id) {
        get(id);
        return AttemptEntity.<AttemptEntity>find("sessionId", Sort.ascending("attempt"), id).list().stream()
                .map(a -> new SessionAttempt(a.attempt, a.allocationId, a.gpuIndices, a.launcher, a.handle, a.resumeCheckpointId,
                        a.exitCode, a.reason, a.createdAt, a.startedAt, a.endedAt)).toList();
    }

    /** The trainer and config of the session that saved a model. */
    public record ModelOrigin(String trainer, JsonNode config) {
    }

    /** Where a model came from, as the base of a session resumed from it; empty for no such model. */
    public Optional<ModelOrigin> originOfModel(String checkpointId) {
        CheckpointEntity from = CheckpointEntity.findById(checkpointId);
        if (from == null) {
            return Optional.empty();
        }
        SessionEntity source = SessionEntity.findById(from.sessionId);
        return Optional.ofNullable(source == null ? null : new ModelOrigin(source.trainer, configOf(source)));
    }

    /**
     * A new session (state created) that starts from a model with its session's config, owned by the
     * caller with the caller's role: nothing of the source's owner (role, priority) carries over to
     * someone else.
     *
     * @param name     null or blank for "{source name} fork@{step}"
     * @param priority null for the source's when the owner forks their own session, else 0
     * @param pool     null for the source's: a fork trains on where its model was trained, on the same kind of device
     */
    public Session fork(Checkpoint model, String name, String owner, String ownerRole, Integer priority, String pool) {
        SessionEntity source = SessionEntity.findById(model.session());
        if (source == null) {
            throw ProblemException.notFound("session", model.session());
        }
        String forkName = name != null && !name.isBlank() ? name.strip() : truncate(source.name + " fork@" + model.step(), 100);
        int forkPriority = priority != null ? priority : owner.equals(source.owner) ? source.priority : 0;
        return create(new NewSession(forkName, owner, ownerRole, forkPriority, source.template, source.trainer,
                configOf(source), model.id(), gatingOf(source), pool != null ? pool : source.pool));
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    public JsonNode configOf(SessionEntity e) {
        try {
            return json.readTree(e.config);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("stored config of session " + e.id + " is not JSON", ex);
        }
    }

    public Session toSession(SessionEntity e) {
        try {
            return new Session(e.id, e.name, e.owner, e.priority, SessionState.fromWire(e.state), e.stateReason, e.template,
                    e.trainer, json.readTree(e.config), e.currentStep, e.attemptCount, e.latestCheckpointId,
                    e.resumeFromCheckpointId, e.createdAt, e.updatedAt, gatingOf(e), e.bestCheckpointId, e.pool);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("stored config of session " + e.id + " is not JSON", ex);
        }
    }
}
