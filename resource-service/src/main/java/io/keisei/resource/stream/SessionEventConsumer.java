package io.keisei.resource.stream;

import io.keisei.common.stream.ConsumerConfig;
import io.keisei.common.stream.GroupConsumer;
import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.Streams;
import io.keisei.resource.config.ResourceConfig;
import io.keisei.resource.service.AllocationService;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;
import java.util.List;

/**
 * Releases a session's allocation when the session stops holding resources: on session.paused,
 * stopped, completed, failed and deleted from keisei:events, read through the consumer group
 * "resource-service" (replicas share the work; at-least-once, and releasing is idempotent).
 * Only allocations created at or before the event's time are released, so a late event of an
 * earlier attempt never frees the allocation of a newer one.
 */
@ApplicationScoped
public class SessionEventConsumer {

    public static final String GROUP = "resource-service";

    private final RedisDataSource redis;
    private final MeterRegistry registry;
    private final AllocationService allocations;
    private final ResourceConfig config;
    private GroupConsumer<LifecycleEvent> consumer;

    public SessionEventConsumer(RedisDataSource redis, MeterRegistry registry, AllocationService allocations,
                                ResourceConfig config) {
        this.redis = redis;
        this.registry = registry;
        this.allocations = allocations;
        this.config = config;
    }

    /** True for the events after which a session holds no resources. */
    public static boolean releases(EventType type) {
        return type.endsAttempt() || type == EventType.SESSION_DELETED;
    }

    void onStart(@Observes StartupEvent ev) {
        ResourceConfig.Events c = config.events();
        consumer = new GroupConsumer<>(redis, registry, Streams.EVENTS, GROUP, ConsumerConfig.nameOf(c), LifecycleEvent.class,
                ConsumerConfig.settingsOf(c), this::handle);
        consumer.start();
    }

    void handle(List<GroupConsumer.Received<LifecycleEvent>> batch) throws Exception {
        for (GroupConsumer.Received<LifecycleEvent> r : batch) {
            LifecycleEvent e = r.message();
            if (releases(e.type())) {
                allocations.releaseSession(e.session(), Instant.ofEpochMilli(e.time()), e.type().wire());
            }
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (consumer != null) {
            consumer.close();
        }
    }
}
