package io.keisei.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.keisei.gateway.auth.DownloadLinks;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Signed download links: who may ask for one, and that a link downloads without a token until it expires while
 * an expired, altered or other model's link answers a 403 problem. training-service is a stub here that knows
 * the models {@code m-1} and {@code m-2} (of tess's session) and nothing else.
 */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
@WithTestResource(DownloadLinkTest.StubModels.class)
class DownloadLinkTest {

    static final byte[] FILE = "KSHOGI checkpoint bytes".getBytes(StandardCharsets.UTF_8);

    @Inject
    DownloadLinks links;

    @Test
    void aSignedLinkDownloadsWithoutATokenUntilItExpires() {
        Response r = linkFor("m-1", GatewayApiTest.ADMIN);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        String url = r.path("url");
        Instant expiresAt = Instant.parse(r.path("expiresAt"));
        assertThat(url).matches("http://[^/]+/api/v1/models/m-1/download\\?expires=\\d+&signature=[A-Za-z0-9_-]{43}");
        assertThat(Duration.between(Instant.now(), expiresAt)).isBetween(Duration.ofMinutes(14), Duration.ofMinutes(15));
        assertThat(url).contains("expires=" + expiresAt.getEpochSecond());

        Response file = given().urlEncodingEnabled(false).get(pathOf(url));
        assertThat(file.statusCode()).as(file.asString()).isEqualTo(200);
        assertThat(file.asByteArray()).isEqualTo(FILE);
        assertThat(file.header("Content-Disposition")).contains("s-tess-step64.kshogi");
        // Without a link it still needs a token.
        given().get("/api/v1/models/m-1/download").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void anExpiredAlteredOrOtherModelsLinkIsA403Problem() {
        String url = pathOf(linkFor("m-1", GatewayApiTest.ADMIN).path("url"));
        String expires = url.replaceAll(".*expires=(\\d+).*", "$1");
        String signature = url.replaceAll(".*signature=([A-Za-z0-9_-]+).*", "$1");

        String flipped = (signature.charAt(5) == 'A' ? "B" : "A");
        refused("/api/v1/models/m-1/download?expires=" + expires + "&signature=" + signature.substring(0, 5) + flipped
                + signature.substring(6), "not valid");
        refused("/api/v1/models/m-1/download?expires=" + (Long.parseLong(expires) + 3600) + "&signature=" + signature, "not valid");
        refused("/api/v1/models/m-2/download?expires=" + expires + "&signature=" + signature, "not valid");

        DownloadLinks.Signed expired = links.sign("m-1", Instant.now().minusSeconds(60));
        refused("/api/v1/models/m-1/download?expires=" + expired.expires() + "&signature=" + expired.signature(), "expired");

        // Bad input is a problem too, never a 500.
        refused("/api/v1/models/m-1/download?expires=soon&signature=" + signature, "not valid");
        refused("/api/v1/models/m-1/download?expires=" + expires + "&signature=%25%25%25", "not valid");
        refused("/api/v1/models/m-1/download?expires=" + expires + "&signature=" + "A".repeat(400), "not valid");
        refused("/api/v1/models/m-1/download?signature=" + signature, "both");
        refused("/api/v1/models/m-1/download?expires=" + expires, "both");
        int odd = given().urlEncodingEnabled(false)
                .get("/api/v1/models/..%2Fm-1/download?expires=" + expires + "&signature=" + signature).statusCode();
        assertThat(odd).isIn(400, 403, 404);
    }

    @Test
    void askingForALinkNeedsWhatADownloadNeeds() {
        String viewer = "Bearer " + GatewayApiTest.createToken("link-viewer", "viewer");
        String researcher = "Bearer " + GatewayApiTest.createToken("link-researcher", "researcher");
        String owner = "Bearer " + GatewayApiTest.createToken("tess", "trainer");
        String other = "Bearer " + GatewayApiTest.createToken("tom", "trainer");

        Response refused = linkFor("m-1", viewer);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.asString()).contains("models.export");
        assertThat(linkFor("m-1", other).statusCode()).isEqualTo(403);
        assertThat(linkFor("m-1", owner).statusCode()).isEqualTo(200);
        assertThat(linkFor("m-1", researcher).statusCode()).isEqualTo(200);
        given().post("/api/v1/models/m-1/download-url").then().statusCode(401).contentType("application/problem+json");
        // No link to a model that does not exist, and none for an id that is not one.
        linkFor("missing-1", GatewayApiTest.ADMIN).then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", GatewayApiTest.ADMIN).urlEncodingEnabled(false)
                .post("/api/v1/models/bad%20id/download-url").then().statusCode(400).contentType("application/problem+json");
        // It takes no body: one sent anyway, of any type, changes nothing and is never a 500.
        for (String type : new String[]{"application/json", "application/xml", "text/plain"}) {
            int status = given().header("Authorization", GatewayApiTest.ADMIN).contentType(type).body("{")
                    .post("/api/v1/models/m-1/download-url").statusCode();
            assertThat(status).as(type).isLessThan(500);
        }
    }

    @Test
    void aTokenStillWorksAndWinsOverLinkParameters() {
        given().header("Authorization", GatewayApiTest.ADMIN).get("/api/v1/models/m-1/download?expires=1&signature=x")
                .then().statusCode(200);
        String viewer = "Bearer " + GatewayApiTest.createToken("link-viewer-2", "viewer");
        given().header("Authorization", viewer).get("/api/v1/models/m-1/download").then().statusCode(403);
    }

    private static Response linkFor(String model, String authorization) {
        return given().header("Authorization", authorization).post("/api/v1/models/" + model + "/download-url");
    }

    private static void refused(String path, String detail) {
        Response r = given().urlEncodingEnabled(false).get(path);
        assertThat(r.statusCode()).as(path + ": " + r.asString()).isEqualTo(403);
        assertThat(r.contentType()).as(path).startsWith("application/problem+json");
        assertThat(r.jsonPath().getString("detail")).as(path).contains(detail);
        assertThat(r.jsonPath().getInt("status")).isEqualTo(403);
    }

    private static String pathOf(String url) {
        URI u = URI.create(url);
        return u.getRawPath() + "?" + u.getRawQuery();
    }

    /** training-service's model and session reads: m-1 and m-2 of session s-tess (owned by tess), a file to download. */
    public static class StubModels implements QuarkusTestResourceLifecycleManager {

        private HttpServer server;

        @Override
        public Map<String, String> start() {
            System.setProperty("sun.net.httpserver.nodelay", "true");
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.createContext("/models/", ex -> {
                String rest = ex.getRequestURI().getPath().substring("/models/".length());
                String id = rest.replaceAll("/download$", "");
                if (!id.equals("m-1") && !id.equals("m-2")) {
                    reply(ex, 404, "application/problem+json", "{\"status\":404,\"title\":\"Not Found\",\"detail\":\"no model\"}"
                            .getBytes(StandardCharsets.UTF_8), Map.of());
                } else if (rest.endsWith("/download")) {
                    reply(ex, 200, "application/octet-stream", FILE,
                            Map.of("Content-Disposition", "attachment; filename=\"s-tess-step64.kshogi\""));
                } else {
                    reply(ex, 200, "application/json", ("{\"id\":\"" + id + "\",\"session\":\"s-tess\",\"step\":64}")
                            .getBytes(StandardCharsets.UTF_8), Map.of());
                }
            });
            server.createContext("/sessions/", ex -> {
                String id = ex.getRequestURI().getPath().substring("/sessions/".length());
                reply(ex, 200, "application/json", ("{\"id\":\"" + id + "\",\"owner\":\"tess\",\"state\":\"stopped\"}")
                        .getBytes(StandardCharsets.UTF_8), Map.of());
            });
            server.start();
            return Map.of("keisei.gateway.services.training", "http://127.0.0.1:" + server.getAddress().getPort());
        }

        private static void reply(HttpExchange ex, int status, String type, byte[] body, Map<String, String> headers)
                throws IOException {
            ex.getResponseHeaders().set("Content-Type", type);
            headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop(0);
            }
        }
    }
}
