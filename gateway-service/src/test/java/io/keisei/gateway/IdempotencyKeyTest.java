package io.keisei.gateway;

import io.keisei.gateway.idempotency.CallerScope;
import io.keisei.gateway.idempotency.IdempotencyStore;
import io.keisei.gateway.idempotency.KeyRecord;
import io.keisei.gateway.idempotency.RequestFingerprint;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.keys.KeyScanArgs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Idempotency-Key on the POSTs that create or change something (issue #18): a retry gets the first answer and
 * training-service sees one call; another request under the key is a 422, a concurrent one a 409; what is kept and
 * for how long. training-service is a stub that counts what it is asked ({@link StubTrainingService}); keys live in
 * the test Redis.
 */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
@WithTestResource(StubTrainingService.class)
class IdempotencyKeyTest {

    static final String ADMIN = "test-admin-token-0123456789";

    @Inject
    RedisDataSource redis;
    @Inject
    IdempotencyStore store;

    static String training() {
        return ConfigProvider.getConfig().getValue("keisei.gateway.services.training", String.class);
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String trainer() {
        return GatewayApiTest.createToken(unique("idem"), "trainer");
    }

    static Response create(String token, String key, String body) {
        var r = given().header("Authorization", "Bearer " + token).contentType("application/json").body(body);
        if (key != null) {
            r.header("Idempotency-Key", key);
        }
        return r.post("/api/v1/sessions");
    }

    static long creates(String name) throws Exception {
        return StubTrainingService.calls(training(), "create:" + name);
    }

    String tokenId(String token) {
        return given().header("Authorization", "Bearer " + token).get("/api/v1/auth/me").then().statusCode(200)
                .extract().path("tokenId");
    }

    List<String> keysOf(String token) {
        List<String> keys = new ArrayList<>();
        redis.key().scan(new KeyScanArgs().match(CallerScope.redisPattern(tokenId(token))).count(1000)).toIterable()
                .forEach(keys::add);
        return keys;
    }

    @Test
    void aRetriedCreateWithTheSameKeyGetsTheFirstAnswerAndCreatesOneSession() throws Exception {
        String token = trainer();
        String name = unique("run");
        String body = "{\"name\":\"" + name + "\",\"template\":\"quick-cpu\"}";
        String key = UUID.randomUUID().toString();

        Response first = create(token, key, body);
        Response retry = create(token, key, body);

        assertThat(first.statusCode()).as(first.asString()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.asByteArray()).isEqualTo(first.asByteArray());
        assertThat(retry.jsonPath().getString("id")).isEqualTo(first.jsonPath().getString("id"));
        assertThat(retry.contentType()).isEqualTo(first.contentType());
        assertThat(retry.header("Location")).isNotNull().isEqualTo(first.header("Location"));
        assertThat(creates(name)).isEqualTo(1);

        // Without a key nothing changes: every POST creates.
        String other = unique("run");
        String otherBody = "{\"name\":\"" + other + "\"}";
        assertThat(create(token, null, otherBody).jsonPath().getString("id"))
                .isNotEqualTo(create(token, null, otherBody).jsonPath().getString("id"));
        assertThat(creates(other)).isEqualTo(2);
    }

    @Test
    void theSameKeyWithAnotherBodyOrAnotherCallIs422() throws Exception {
        String token = trainer();
        String name = unique("run");
        String key = UUID.randomUUID().toString();
        assertThat(create(token, key, "{\"name\":\"" + name + "\"}").statusCode()).isEqualTo(201);

        Response otherBody = create(token, key, "{\"name\":\"" + name + "\",\"priority\":5}");
        assertThat(otherBody.statusCode()).isEqualTo(422);
        assertThat(otherBody.contentType()).startsWith("application/problem+json");
        assertThat(otherBody.jsonPath().getString("detail")).contains("Idempotency-Key", "another body");
        // Bytes, not meaning: the same JSON written differently is another request.
        assertThat(create(token, key, "{ \"name\": \"" + name + "\" }").statusCode()).isEqualTo(422);

        Response otherCall = given().header("Authorization", "Bearer " + token).header("Idempotency-Key", key)
                .contentType("application/json").body("{\"name\":\"" + name + "\"}").post("/api/v1/models/m-1/fork");
        assertThat(otherCall.statusCode()).isEqualTo(422);
        assertThat(otherCall.jsonPath().getString("detail")).contains("POST /api/v1/sessions");
        assertThat(creates(name)).isEqualTo(1);
    }

    @Test
    void aRetryWhileTheFirstIsStillRunningIs409WithRetryAfterAndRunsNothing() throws Exception {
        String token = trainer();
        String name = unique("slow");
        String body = "{\"name\":\"" + name + "\"}";
        String key = UUID.randomUUID().toString();

        CompletableFuture<Response> first = CompletableFuture.supplyAsync(() -> create(token, key, body));
        await().atMost(Duration.ofSeconds(10)).until(() -> creates(name) == 1);
        // The key is claimed for the lease only, so a replica that dies here does not block it for a day.
        List<String> claimed = keysOf(token);
        assertThat(claimed).hasSize(1);
        assertThat(redis.key().pttl(claimed.get(0))).isBetween(1L, 60_000L);

        Response duplicate = create(token, key, body);
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(duplicate.contentType()).startsWith("application/problem+json");
        assertThat(duplicate.header("Retry-After")).isEqualTo("1");
        assertThat(duplicate.jsonPath().getString("detail")).contains("still being carried out");

        Response answered = first.join();
        assertThat(answered.statusCode()).isEqualTo(201);
        Response later = create(token, key, body);
        assertThat(later.statusCode()).isEqualTo(201);
        assertThat(later.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(later.jsonPath().getString("id")).isEqualTo(answered.jsonPath().getString("id"));
        assertThat(creates(name)).isEqualTo(1);
    }

    @Test
    void aRefusalTheRetryWouldGetAgainIsKeptButAServerErrorFreesTheKey() throws Exception {
        String token = trainer();
        String bad = unique("bad");
        String key = UUID.randomUUID().toString();
        Response refused = create(token, key, "{\"name\":\"" + bad + "\"}");
        Response again = create(token, key, "{\"name\":\"" + bad + "\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.contentType()).isEqualTo(refused.contentType()).startsWith("application/problem+json");
        assertThat(again.asString()).isEqualTo(refused.asString());
        assertThat(creates(bad)).isEqualTo(1);

        String boom = unique("boom");
        String boomKey = UUID.randomUUID().toString();
        Response failed = create(token, boomKey, "{\"name\":\"" + boom + "\"}");
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(keysOf(token)).hasSize(1);   // the 400's key only: the 500 freed its own
        Response retried = create(token, boomKey, "{\"name\":\"" + boom + "\"}");
        assertThat(retried.statusCode()).isEqualTo(500);
        assertThat(retried.header("Idempotent-Replayed")).isNull();
        assertThat(creates(boom)).isEqualTo(2);
    }

    @Test
    void twoCallersKeysNeverMeet() throws Exception {
        String alice = trainer();
        String bob = trainer();
        String name = unique("run");
        String body = "{\"name\":\"" + name + "\"}";
        String key = "the-same-key";
        Response a = create(alice, key, body);
        Response b = create(bob, key, body);
        assertThat(a.statusCode()).isEqualTo(201);
        assertThat(b.statusCode()).isEqualTo(201);
        assertThat(b.header("Idempotent-Replayed")).isNull();
        assertThat(b.jsonPath().getString("id")).isNotEqualTo(a.jsonPath().getString("id"));
        assertThat(creates(name)).isEqualTo(2);
        assertThat(keysOf(alice)).hasSize(1).doesNotContainAnyElementsOf(keysOf(bob));
    }

    @Test
    void anAnswerIsKeptForTheTtlSealedSoRedisHoldsNoSecret() {
        String token = trainer();
        String key = UUID.randomUUID().toString();
        String body = "{\"name\":\"" + unique("made") + "\",\"role\":\"viewer\"}";
        // createToken needs users.manage: the admin makes a token for the retry to find again.
        Response made = given().header("Authorization", "Bearer " + ADMIN).header("Idempotency-Key", key)
                .contentType("application/json").body(body).post("/api/v1/auth/tokens");
        Response again = given().header("Authorization", "Bearer " + ADMIN).header("Idempotency-Key", key)
                .contentType("application/json").body(body).post("/api/v1/auth/tokens");
        assertThat(made.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        String secret = made.jsonPath().getString("token");
        assertThat(again.jsonPath().getString("token")).isEqualTo(secret);
        assertThat(again.jsonPath().getString("id")).isEqualTo(made.jsonPath().getString("id"));
        String tokens = given().header("Authorization", "Bearer " + ADMIN).get("/api/v1/auth/tokens").asString();
        assertThat(tokens.split(made.jsonPath().getString("id"), -1)).hasSize(2);   // one token made

        List<String> keys = keysOf(ADMIN);
        assertThat(keys).isNotEmpty();
        for (String k : keys) {
            assertThat(k).doesNotContain(key);
            assertThat(redis.key().pttl(k)).isBetween(Duration.ofHours(24).minusMinutes(1).toMillis(), Duration.ofHours(24).toMillis());
            assertThat(redis.value(String.class).get(k)).doesNotContain(secret);
        }
        assertThat(keysOf(token)).isEmpty();
    }

    @Test
    void actionsOnASessionTakeAKeyToo() throws Exception {
        String id = unique("sess");
        String key = UUID.randomUUID().toString();
        for (int i = 0; i < 2; i++) {
            Response r = given().header("Authorization", "Bearer " + ADMIN).header("Idempotency-Key", key)
                    .post("/api/v1/sessions/" + id + "/start");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.header("Idempotent-Replayed")).isEqualTo(i == 0 ? null : "true");
        }
        assertThat(StubTrainingService.calls(training(), id + "/start")).isEqualTo(1);
        // The key names the start: it cannot stop the session.
        assertThat(given().header("Authorization", "Bearer " + ADMIN).header("Idempotency-Key", key)
                .post("/api/v1/sessions/" + id + "/stop").statusCode()).isEqualTo(422);
        assertThat(StubTrainingService.calls(training(), id + "/stop")).isZero();

        // Refusals the gateway itself makes count too: a 403 frees the key (the retry is checked again), a 400 is kept.
        String trainer = trainer();
        String refusedKey = UUID.randomUUID().toString();
        for (int i = 0; i < 2; i++) {
            Response r = given().header("Authorization", "Bearer " + trainer).header("Idempotency-Key", refusedKey)
                    .post("/api/v1/sessions/" + id + "/start");
            assertThat(r.statusCode()).as("the stub's sessions are admin's").isEqualTo(403);
            assertThat(r.header("Idempotent-Replayed")).isNull();
        }
        String badId = "bad%20id";
        for (int i = 0; i < 2; i++) {
            Response r = given().header("Authorization", "Bearer " + trainer).header("Idempotency-Key", refusedKey)
                    .urlEncodingEnabled(false).post("/api/v1/sessions/" + badId + "/stop");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.header("Idempotent-Replayed")).isEqualTo(i == 0 ? null : "true");
        }
        assertThat(StubTrainingService.calls(training(), id + "/start")).isEqualTo(1);
    }

    @Test
    void onlyTheClaimingRequestCompletesOrFreesAKey() {
        RequestFingerprint request = RequestFingerprint.of("POST", "/api/v1/sessions", new byte[]{1});
        String key = "keisei:idempotency:test:" + UUID.randomUUID();
        KeyRecord mine = KeyRecord.processing(request, "mine");
        KeyRecord theirs = KeyRecord.processing(request, "theirs");
        assertThat(store.claim(key, mine)).isTrue();
        assertThat(store.claim(key, theirs)).isFalse();
        assertThat(redis.key().pttl(key)).isBetween(1L, store.lease().toMillis());

        store.release(key, theirs);
        assertThat(store.read(key)).contains(mine);
        assertThat(store.complete(key, theirs, theirs.done(new byte[]{9}))).isFalse();
        assertThat(store.read(key)).contains(mine);
        assertThat(store.complete(key, mine, mine.done(new byte[]{7}))).isTrue();
        assertThat(store.read(key).orElseThrow().sealed()).containsExactly(7);
        assertThat(redis.key().pttl(key)).isGreaterThan(Duration.ofHours(23).toMillis());

        // A claim that lapsed and that nobody took since is completed all the same; one taken since is not.
        String lapsed = key + ":lapsed";
        assertThat(store.complete(lapsed, mine, mine.done(new byte[]{5}))).isTrue();
        assertThat(store.read(lapsed).orElseThrow().state()).isEqualTo(KeyRecord.State.DONE);
        String retaken = key + ":retaken";
        assertThat(store.claim(retaken, theirs)).isTrue();
        assertThat(store.complete(retaken, mine, mine.done(new byte[]{5}))).isFalse();
        store.release(retaken, mine);
        assertThat(store.read(retaken)).contains(theirs);
        store.release(retaken, theirs);
        assertThat(store.read(retaken)).isEmpty();
    }

    @Test
    void aKeyIsOneTo255PrintableAsciiCharactersElse400() {
        String token = trainer();
        String body = "{\"name\":\"" + unique("run") + "\"}";
        for (String bad : List.of("", "x".repeat(256), "tab\there", "caf\u00e9")) {
            Response r = create(token, bad, body);
            assertThat(r.statusCode()).as("key '%s'", bad).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.jsonPath().getList("errors.field")).containsExactly("Idempotency-Key");
        }
        Response twice = given().header("Authorization", "Bearer " + token).header("Idempotency-Key", "a")
                .header("Idempotency-Key", "b").contentType("application/json").body(body).post("/api/v1/sessions");
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(create(token, "x".repeat(255), body).statusCode()).isEqualTo(201);
        assertThat(create(token, " !~", "{\"name\":\"" + unique("run") + "\"}").statusCode()).isEqualTo(201);
        // Reads and other methods do not look at the header.
        given().header("Authorization", "Bearer " + token).header("Idempotency-Key", "").get("/api/v1/auth/me")
                .then().statusCode(200);
    }
}
