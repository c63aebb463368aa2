package io.keisei.gateway.cache;

import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.gateway.service.SessionDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Lifecycle events (read by the hub on every replica) invalidate what they make stale. */
@ApplicationScoped
public class LifecycleInvalidation {

    private final SessionDirectory directory;
    private final ResponseCache cache;
    private final SharedReads shared;

    public LifecycleInvalidation(SessionDirectory directory, ResponseCache cache, SharedReads shared) {
        this.directory = directory;
        this.cache = cache;
        this.shared = shared;
    }

    void on(@Observes LifecycleEvent e) {
        // Any event may change a list, an allocation or the models (a few per minute next to many reads).
        shared.invalidateAll();
        if (e.type().wire().startsWith("session.") || e.type() == EventType.CHECKPOINT_SAVED) {
            if (e.type() == EventType.SESSION_DELETED) {
                directory.deleted(e.session());
            } else {
                directory.forget(e.session());
            }
            cache.invalidate(CachedReads.SESSION_CONFIG + e.session());
        }
        // A promotion changes which model the registry marks best. (An evaluation's own events name an evaluation id
        // where a session would be when it has no session: they are none of the session.* events above.)
        if (e.type() == EventType.CHECKPOINT_SAVED || e.type() == EventType.SESSION_DELETED
                || e.type() == EventType.CHECKPOINT_PROMOTED) {
            cache.invalidate(CachedReads.MODELS);
        }
    }
}
