package io.keisei.common.stream;

import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.StreamMessage;
import io.keisei.contracts.Streams;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.XAddArgs;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;

/** Appends protocol messages to Redis streams with the contracts codec, trimming approximately. */
@ApplicationScoped
public class StreamPublisher {

    private final StreamCommands<String, String, String> streams;

    public StreamPublisher(RedisDataSource redis) {
        this.streams = redis.stream(String.class, String.class, String.class);
    }

    /** XADD with {@code MAXLEN ~ maxLen}; returns the entry id, which is also a resume cursor. */
    public String publish(String stream, StreamMessage message, long maxLen) {
        return streams.xadd(stream, new XAddArgs().maxlen(maxLen).nearlyExactTrimming(), StreamCodec.toEntry(message));
    }

    /** XADD of a message already encoded with {@link StreamCodec#encode} (the outbox relay's rows). */
    public String publishEncoded(String stream, String json, long maxLen) {
        return streams.xadd(stream, new XAddArgs().maxlen(maxLen).nearlyExactTrimming(), Map.of(Streams.PAYLOAD_FIELD, json));
    }
}
