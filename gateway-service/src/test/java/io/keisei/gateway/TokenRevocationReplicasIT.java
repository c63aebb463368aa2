package io.keisei.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.testsupport.PackagedService;
import io.keisei.testsupport.TestInfrastructure;
import io.keisei.testsupport.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two gateway replicas (the packaged jar, run twice) on one PostgreSQL and one Redis, no other service: a token
 * revoked through replica A is refused by replica B, and B closes the WebSocket it authenticated, within a second.
 * Several revocations; the observed delays and their median are printed. Each delay is measured from the moment
 * the revocation is sent to A, so it includes A's own work and, for REST, B's answer to the poll that saw 401:
 * an upper bound of the propagation.
 */
class TokenRevocationReplicasIT {

    /** The requirement is 1 s. Only this much fails the test: a busy CI machine must not make it flaky. */
    static final Duration FAIL_BEYOND = Duration.ofSeconds(3);
    static final int REVOCATIONS = 7;

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    static PackagedService a;
    static PackagedService b;
    static String admin;

    @BeforeAll
    static void startTwoReplicas() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        admin = "ksk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        TestInfrastructure infra = TestInfrastructure.get();
        List<CompletableFuture<PackagedService>> started = new ArrayList<>();
        for (String name : List.of("a", "b")) {
            PackagedService.Builder replica = PackagedService.of("gateway-service").port("KEISEI_GATEWAY_PORT")
                    .infrastructure(infra).withoutInheritedKeiseiEnv().env("KEISEI_ADMIN_TOKEN", admin)
                    .jvmOptions("-XX:+UseSerialGC", "-Xmx256m").readyTimeout(Duration.ofSeconds(240));
            started.add(CompletableFuture.supplyAsync(replica::start, r -> new Thread(r, "start gateway " + name).start()));
        }
        try {
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).join();
        } finally {
            a = started.get(0).exceptionally(e -> null).join();
            b = started.get(1).exceptionally(e -> null).join();
        }
    }

    @AfterAll
    static void stop() {
        for (PackagedService s : new PackagedService[]{b, a}) {
            if (s != null) {
                s.close();
            }
        }
    }

    @Test
    void aTokenRevokedOnOneReplicaIsRefusedByTheOtherWithinASecond() throws Exception {
        List<Long> restMillis = new ArrayList<>();
        List<Long> wsMillis = new ArrayList<>();
        List<Long> revokeMillis = new ArrayList<>();
        for (int i = 0; i < REVOCATIONS; i++) {
            JsonNode created = JSON.readTree(call(a, "POST", "/api/v1/auth/tokens", admin,
                    "{\"name\":\"replica-revocation-" + i + "\",\"role\":\"viewer\"}").body());
            String id = created.path("id").asText();
            String token = created.path("token").asText();
            // B trusts the token from its cache (and its hub) from here on.
            assertThat(call(b, "GET", "/api/v1/auth/me", token, null).statusCode()).isEqualTo(200);
            assertThat(call(b, "GET", "/api/v1/auth/me", token, null).statusCode()).isEqualTo(200);
            try (WsClient socket = WsClient.connectAndAuth(ws(b), token)) {
                CompletableFuture<Long> closedAt = socket.closed.thenApply(code -> System.nanoTime());
                long sent = System.nanoTime();
                assertThat(call(a, "DELETE", "/api/v1/auth/tokens/" + id, admin, null).statusCode()).isEqualTo(204);
                revokeMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
                // Poll B with a deadline; anything but 401 (200, or 429 from the token's rate limit) means still accepted.
                long deadline = sent + FAIL_BEYOND.toNanos();
                while (call(b, "GET", "/api/v1/auth/me", token, null).statusCode() != 401) {
                    assertThat(System.nanoTime()).as("replica B still accepts the token revoked through A").isLessThan(deadline);
                    Thread.sleep(10);
                }
                restMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
                long closed = closedAt.get(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())),
                        TimeUnit.MILLISECONDS);
                wsMillis.add(TimeUnit.NANOSECONDS.toMillis(closed - sent));
                assertThat(socket.closed.join()).as("B closes the WebSocket authenticated with the revoked token").isEqualTo(1008);
            }
        }
        System.out.printf("revoked through replica A (its answer took %s ms, median %d ms): replica B refused the token "
                        + "after %s ms (median %d ms) and closed its WebSocket after %s ms (median %d ms), each measured "
                        + "from sending the revocation to A%n",
                revokeMillis, median(revokeMillis), restMillis, median(restMillis), wsMillis, median(wsMillis));
        assertThat(median(restMillis)).isLessThan(FAIL_BEYOND.toMillis());
    }

    static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    static URI ws(PackagedService s) {
        return URI.create("ws://127.0.0.1:" + s.port() + "/ws");
    }

    static HttpResponse<String> call(PackagedService s, String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(s.url() + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }
}
