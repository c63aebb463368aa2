package io.keisei.training.stream;

import io.keisei.common.stream.StreamPublisher;
import io.keisei.contracts.ControlCommand;
import io.keisei.contracts.Streams;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/** Commands to one session's trainer over keisei:control:{session}, and the heartbeat it keeps. */
@ApplicationScoped
public class ControlPublisher {

    private final StreamPublisher publisher;
    private final RedisDataSource redis;

    public ControlPublisher(StreamPublisher publisher, RedisDataSource redis) {
        this.publisher = publisher;
        this.redis = redis;
    }

    public String send(String session, ControlCommand.Type type) {
        String requestId = UUID.randomUUID().toString();
        publisher.publish(Streams.control(session), ControlCommand.of(type, session, requestId));
        return requestId;
    }

    /** The id after which a new attempt's commands start (commands of earlier attempts are behind it). */
    public String cursor(String session) {
        io.vertx.mutiny.redis.client.Response last = redis.execute("XREVRANGE", Streams.control(session), "+", "-", "COUNT", "1");
        return last == null || last.size() == 0 ? "0-0" : last.get(0).get(0).toString();
    }

    public boolean heartbeatAlive(String session) {
        return redis.key(String.class).exists(Streams.heartbeat(session));
    }
}
