package io.keisei.common.lifecycle;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * When started by {@code ./keisei up} (KEISEI_PARENT_PID set), exits once the launcher is gone,
 * so even a launcher killed with SIGKILL leaves no orphaned service behind.
 */
@ApplicationScoped
public class ParentWatchdog {

    private static final Logger LOG = Logger.getLogger(ParentWatchdog.class);

    @ConfigProperty(name = "keisei.parent-pid")
    Optional<Long> parentPid;

    void onStart(@Observes StartupEvent ev) {
        parentPid.flatMap(ProcessHandle::of).ifPresent(parent -> parent.onExit().thenRun(() -> {
            LOG.warnf("launcher (pid %d) is gone; shutting down", parent.pid());
            Quarkus.asyncExit(0);
        }));
    }
}
