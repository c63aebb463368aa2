package io.keisei.gateway.client;

import com.sun.net.httpserver.HttpServer;
import io.keisei.testsupport.KeiseiInfraResource;
import io.keisei.testsupport.TestServiceCredential;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * The gateway sends the service credential on every call to an internal service, forwarded and typed
 * reads alike; an internal service that refuses it is the deployment's error (502), never the user's 401.
 */
@QuarkusTest
@WithTestResource(DownstreamCredentialTest.FakeInternalServices.class)
class DownstreamCredentialTest {

    static final String ADMIN = "Bearer test-admin-token-0123456789";

    /** What a user sends in the credential's header is never what reaches a service. */
    static io.restassured.specification.RequestSpecification asAdmin() {
        return given().header("Authorization", ADMIN).header(TestServiceCredential.HEADER, "chosen-by-the-user-chosen-by-the-user");
    }

    /**
     * One fake for all three internal services: it records the credential of each path and answers as told;
     * a path in {@link #unavailable} answers 503 (problem+json) with that Retry-After ("" for none).
     */
    public static class FakeInternalServices extends KeiseiInfraResource {
        static final Map<String, String> credentials = new ConcurrentHashMap<>();
        static final Map<String, String> unavailable = new ConcurrentHashMap<>();
        /** While set, every request (liveness included) waits for it: a hung process. */
        static volatile java.util.concurrent.CountDownLatch hang;
        static HttpServer server;

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", exchange -> {
                java.util.concurrent.CountDownLatch hung = hang;
                if (hung != null) {
                    try {
                        hung.await(60, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                String path = exchange.getRequestURI().getPath();
                credentials.put(path, String.valueOf(exchange.getRequestHeaders().getFirst(TestServiceCredential.HEADER)));
                String retryAfter = unavailable.get(path);
                if (retryAfter != null) {
                    byte[] problem = ("{\"type\":\"about:blank\",\"title\":\"Service unavailable\",\"status\":503,"
                            + "\"detail\":\"the database is unavailable; try again shortly\"}").getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
                    if (!retryAfter.isEmpty()) {
                        exchange.getResponseHeaders().add("Retry-After", retryAfter);
                    }
                    exchange.sendResponseHeaders(503, problem.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(problem);
                    }
                    return;
                }
                boolean refuse = path.equals("/allocations");
                byte[] body = (refuse ? "{\"status\":401,\"detail\":\"no\"}" : path.endsWith("/pools") ? "[]" : "{}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", refuse ? "application/problem+json" : "application/json");
                exchange.sendResponseHeaders(refuse ? 401 : 200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.start();
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            config.put("keisei.gateway.services.training", url);
            config.put("keisei.gateway.services.metrics", url);
            config.put("keisei.gateway.services.resource", url);
            return config;
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    @Test
    void typedAndForwardedCallsCarryTheCredential() {
        asAdmin().get("/api/v1/resources").then().statusCode(200);
        asAdmin().get("/api/v1/system/status").then().statusCode(200);
        assertThat(FakeInternalServices.credentials)
                .containsEntry("/resources/pools", TestServiceCredential.TOKEN)   // typed REST client
                .containsEntry("/resources/host", TestServiceCredential.TOKEN)
                .containsEntry("/system/status", TestServiceCredential.TOKEN);    // forwarded (Vert.x client)
    }

    @Test
    void aRefusedCredentialIsABadGatewayNotTheUsersUnauthorized() {
        asAdmin().get("/api/v1/resources/allocations").then().statusCode(502)
                .contentType("application/problem+json")
                .body("detail", containsString("refused the gateway's service credential"));
        assertThat(FakeInternalServices.credentials).containsEntry("/allocations", TestServiceCredential.TOKEN);
    }
}
