package io.keisei.gateway;

import io.keisei.contracts.Channels;
import io.keisei.gateway.auth.TokenStore;
import io.keisei.gateway.cache.Invalidations;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Revocation on every replica at once: through this replica's API, as another replica's message on the
 * revocation channel (the database changed behind this replica's back, as another replica's commit does), and
 * after this replica's subscription was lost (it may have missed messages, so it trusts no cached token).
 * Each time the REST API refuses the token (401) and its open WebSocket is closed with 1008.
 */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class TokenRevocationTest {

    static final String ADMIN = "Bearer test-admin-token-0123456789";

    @TestHTTPResource("/ws")
    URI http;

    @Inject
    TokenStore tokens;
    @Inject
    RedisDataSource redis;
    @Inject
    Invalidations invalidations;

    record Token(String id, String secret) {
    }

    static Token createToken(String role) {
        JsonPath created = given().header("Authorization", ADMIN).contentType("application/json")
                .body("{\"name\":\"revocable-" + UUID.randomUUID().toString().substring(0, 8) + "\",\"role\":\"" + role + "\"}")
                .post("/api/v1/auth/tokens").then().statusCode(201).extract().jsonPath();
        return new Token(created.getString("id"), created.getString("token"));
    }

    static int me(Token t) {
        return given().header("Authorization", "Bearer " + t.secret()).get("/api/v1/auth/me").statusCode();
    }

    RawWebSocket authenticatedSocket(Token t) throws Exception {
        RawWebSocket ws = new RawWebSocket(URI.create(http.toString().replaceFirst("^http", "ws")));
        ws.sendText("{\"type\":\"auth\",\"token\":\"" + t.secret() + "\"}");
        assertThat(ws.readText()).contains("\"welcome\"");
        return ws;
    }

    /** The time until the token gets 401, polling; fails after {@code atMost}. */
    static Duration untilRefused(Token t, Duration atMost) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + atMost.toNanos();
        while (me(t) != 401) {
            assertThat(System.nanoTime()).as("token still accepted after %s", atMost).isLessThan(deadline);
            Thread.sleep(5);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    static void assertClosedAsRevoked(RawWebSocket ws, Duration within) {
        assertThat(ws.awaitClose(within)).as("close code").isEqualTo(1008);
        assertThat(ws.closeReason).containsIgnoringCase("revoked");
    }

    @Test
    void revokedThroughTheApiTheTokenIsRefusedAtOnceAndItsWebSocketClosed() throws Exception {
        Token t = createToken("viewer");
        assertThat(me(t)).isEqualTo(200);
        try (RawWebSocket ws = authenticatedSocket(t)) {
            given().header("Authorization", ADMIN).delete("/api/v1/auth/tokens/" + t.id()).then().statusCode(204);
            assertThat(me(t)).as("the very next request").isEqualTo(401);
            assertClosedAsRevoked(ws, Duration.ofSeconds(1));
        }
    }

    @Test
    void aRevocationPublishedByAnotherReplicaIsHonouredWithinASecond() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(invalidations::subscribed);
        Token t = createToken("trainer");
        assertThat(me(t)).isEqualTo(200);
        try (RawWebSocket ws = authenticatedSocket(t)) {
            // Another replica commits the revocation; this one has the token cached and still accepts it...
            assertThat(tokens.revoke(t.id())).isTrue();
            assertThat(me(t)).as("cached: the database alone does not reach this replica at once").isEqualTo(200);
            // ...until that replica's message arrives.
            redis.pubsub(String.class).publish(Channels.GATEWAY_TOKEN_REVOKED, t.id());
            Duration took = untilRefused(t, Duration.ofSeconds(1));
            assertClosedAsRevoked(ws, Duration.ofSeconds(1));
            System.out.printf("a revocation from another replica was honoured after %d ms%n", took.toMillis());
        }
    }

    @Test
    void aReplicaThatLostItsSubscriptionTrustsNoCachedTokenWhenItSubscribesAgain() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(invalidations::subscribed);
        Token t = createToken("viewer");
        assertThat(me(t)).isEqualTo(200);
        try (RawWebSocket ws = authenticatedSocket(t)) {
            // Revoked while this replica hears nothing: no message is published at all.
            assertThat(tokens.revoke(t.id())).isTrue();
            assertThat(me(t)).as("cached").isEqualTo(200);
            long before = invalidations.subscriptions();
            long killedAt = System.nanoTime();
            redis.execute("CLIENT", "KILL", "TYPE", "pubsub"); // what a Redis restart does to the subscription
            await().atMost(Duration.ofSeconds(5)).until(() -> invalidations.subscriptions() > before);
            // Well inside the token cache's TTL (5 s from the first request above): the resubscription forgot it.
            Duration took = untilRefused(t, Duration.ofSeconds(3));
            assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofSeconds(4));
            assertClosedAsRevoked(ws, Duration.ofSeconds(3));
            System.out.printf("after a lost subscription the revoked token was refused %d ms after the resubscription%n",
                    took.toMillis());
        }
        assertThat(invalidations.subscribed()).isTrue();
    }

    @Test
    void aReplacedAdminTokenIsReportedSoThatReplicasForgetThePreviousOne() throws Exception {
        String current = ADMIN.substring("Bearer ".length());
        assertThat(tokens.upsertBootstrapAdmin(current)).as("unchanged").isFalse();
        try {
            assertThat(tokens.upsertBootstrapAdmin("another-admin-token-0123456789")).as("replaced").isTrue();
        } finally {
            assertThat(tokens.upsertBootstrapAdmin(current)).as("replaced back").isTrue();
        }
        assertThat(tokens.upsertBootstrapAdmin(current)).isFalse();
    }
}
