package io.keisei.training.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.common.rest.ProblemException;
import io.keisei.common.stream.StreamPublisher;
import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.Streams;
import io.keisei.training.Session;
import io.keisei.training.SessionState;
import io.keisei.training.persistence.SessionEntity;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.narayana.jta.QuarkusTransaction;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Creates, reads and lists training sessions; publishes their lifecycle events. */
@ApplicationScoped
public class SessionService {

    public static final String SOURCE = "training-service";

    private final ObjectMapper json;
    private final StreamPublisher publisher;

    public SessionService(ObjectMapper json, StreamPublisher publisher) {
        this.json = json;
        this.publisher = publisher;
    }

    /** What a caller asks for when creating a session. */
    public record NewSession(String name, String owner, int priority, JsonNode config) {
    }

    public Session create(NewSession request) {
        Session created = QuarkusTransaction.requiringNew().call(() -> persistNew(request));
        // Published after commit: a consumer that sees the event can read the session.
        publisher.publish(Streams.EVENTS, LifecycleEvent.of(EventType.SESSION_CREATED, created.id(), null, SOURCE,
                created.state().wire(), null), Streams.EVENTS_MAXLEN);
        return created;
    }

    private Session persistNew(NewSession request) {
        SessionEntity e = new SessionEntity();
        e.id = UUID.randomUUID().toString();
        e.name = request.name();
        e.owner = request.owner();
        e.priority = request.priority();
        e.state = SessionState.CREATED.wire();
        e.config = request.config() == null ? "{}" : request.config().toString();
        Instant now = Instant.now();
        e.createdAt = now;
        e.updatedAt = now;
        e.persist();
        return toSession(e);
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
        return SessionEntity.<SessionEntity>find(q.toString(), Sort.descending("createdAt").and("id"), params)
                .page(Page.of(page, size)).list().stream().map(this::toSession).toList();
    }

    public long count(String owner, SessionState state) {
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
        return SessionEntity.count(q.toString(), params);
    }

    private Session toSession(SessionEntity e) {
        try {
            return new Session(e.id, e.name, e.owner, e.priority, SessionState.fromWire(e.state), json.readTree(e.config),
                    e.currentStep, e.createdAt, e.updatedAt);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("stored config of session " + e.id + " is not JSON", ex);
        }
    }
}
