package io.keisei.common.stream;

import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.StreamMessage;
import io.keisei.contracts.Streams;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.XAddArgs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;

/**
 * Appends protocol messages to Redis streams with the contracts codec, trimming approximately to each stream's
 * configured max length ({@code keisei.streams.<stream>.max-length}, {@link StreamsConfig}).
 */
@ApplicationScoped
public class StreamPublisher {

    private final StreamCommands<String, String, String> streams;
    private final Streams.MaxLengths maxLengths;

    /** With the protocol's default limits. */
    public StreamPublisher(RedisDataSource redis) {
        this(redis, Streams.MaxLengths.defaults());
    }

    @Inject
    public StreamPublisher(RedisDataSource redis, StreamsConfig config) {
        this(redis, StreamsConfig.maxLengthsOf(config));
    }

    public StreamPublisher(RedisDataSource redis, Streams.MaxLengths maxLengths) {
        this.streams = redis.stream(String.class, String.class, String.class);
        this.maxLengths = maxLengths;
    }

    /** XADD with {@code MAXLEN ~} the stream's configured max length; returns the entry id, also a resume cursor. */
    public String publish(String stream, StreamMessage message) {
        return publish(stream, message, maxLength(stream));
    }

    /** XADD with {@code MAXLEN ~ maxLen}; returns the entry id, which is also a resume cursor. */
    public String publish(String stream, StreamMessage message, long maxLen) {
        return streams.xadd(stream, new XAddArgs().maxlen(maxLen).nearlyExactTrimming(), StreamCodec.toEntry(message));
    }

    /** XADD of a message already encoded with {@link StreamCodec#encode} (the outbox relay's rows). */
    public String publishEncoded(String stream, String json, long maxLen) {
        return streams.xadd(stream, new XAddArgs().maxlen(maxLen).nearlyExactTrimming(), Map.of(Streams.PAYLOAD_FIELD, json));
    }

    /** The configured approximate max length of a protocol stream (a session's control stream included). */
    public long maxLength(String stream) {
        return maxLengths.of(stream);
    }

    /** Every stream's configured approximate max length. */
    public Streams.MaxLengths maxLengths() {
        return maxLengths;
    }
}
