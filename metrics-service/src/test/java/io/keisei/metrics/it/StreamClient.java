package io.keisei.metrics.it;

import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.StreamMessage;
import io.keisei.contracts.Streams;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A producer and inspector of Redis streams for tests that run outside Quarkus: XADD with the
 * contracts codec, pipelined on one connection, so entries keep the order they were published in.
 */
final class StreamClient implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final Redis client;
    private final RedisConnection connection;
    private final RedisAPI api;

    StreamClient(String url) throws Exception {
        client = Redis.createClient(vertx, new RedisOptions().setConnectionString(url).setMaxWaitingHandlers(100_000));
        // One connection: commands are pipelined and reach Redis in the order they were sent.
        connection = client.connect().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        api = RedisAPI.api(connection);
    }

    /** Publishes the messages in order (pipelined) and returns when Redis has them all. */
    void publish(String stream, List<? extends StreamMessage> messages) throws Exception {
        List<Future<Response>> sent = new ArrayList<>(messages.size());
        for (StreamMessage m : messages) {
            sent.add(api.xadd(List.of(stream, "MAXLEN", "~", String.valueOf(Streams.METRICS_MAXLEN), "*",
                    Streams.PAYLOAD_FIELD, StreamCodec.encode(m))));
        }
        Future.all(sent).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** Entries delivered to {@code group} and not acknowledged yet. */
    long pending(String stream, String group) throws Exception {
        Response r = api.xpending(List.of(stream, group)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return r.get(0).toLong();
    }

    @Override
    public void close() {
        connection.close();
        client.close();
        vertx.close();
    }
}
