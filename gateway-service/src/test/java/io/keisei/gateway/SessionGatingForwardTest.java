package io.keisei.gateway;

import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

/**
 * updateSessionGating through the gateway: forwarded to training-service for the session's owner (admins own every
 * session), refused before any downstream call for a role without training.start or another owner's trainer, and a body
 * that is not a JSON object is a 400 with a field error. training-service is a stub that counts what it is asked
 * ({@link StubTrainingService}; its sessions are admin's).
 */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
@WithTestResource(StubTrainingService.class)
class SessionGatingForwardTest {

    static final String ADMIN = "Bearer " + IdempotencyKeyTest.ADMIN;

    static String training() {
        return ConfigProvider.getConfig().getValue("keisei.gateway.services.training", String.class);
    }

    @Test
    void theOwnerChangesGatingOthersAreRefusedBeforeAnyDownstreamCall() throws Exception {
        String id = "gated-" + UUID.randomUUID().toString().substring(0, 8);
        String viewer = "Bearer " + GatewayApiTest.createToken("gv-" + id, "viewer");
        String trainer = "Bearer " + GatewayApiTest.createToken("gt-" + id, "trainer");

        given().header("Authorization", ADMIN).contentType("application/json").body("{\"mode\":\"sprt\",\"elo1\":30}")
                .put("/api/v1/sessions/" + id + "/gating").then().statusCode(200);
        assertThat(StubTrainingService.calls(training(), id + "/gating")).isEqualTo(1);

        given().header("Authorization", viewer).contentType("application/json").body("{\"mode\":\"off\"}")
                .put("/api/v1/sessions/" + id + "/gating").then().statusCode(403)
                .body("detail", containsString("training.start"));
        given().header("Authorization", trainer).contentType("application/json").body("{\"mode\":\"off\"}")
                .put("/api/v1/sessions/" + id + "/gating").then().statusCode(403);
        given().header("Authorization", ADMIN).contentType("application/json").body("[1]")
                .put("/api/v1/sessions/" + id + "/gating").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("body"));
        assertThat(StubTrainingService.calls(training(), id + "/gating")).isEqualTo(1);

        // Reading it needs training.monitor only.
        given().header("Authorization", viewer).get("/api/v1/sessions/" + id + "/gating").then().statusCode(200);
        assertThat(StubTrainingService.calls(training(), id + "/gating")).isEqualTo(2);
    }
}
