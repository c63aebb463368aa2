package io.keisei.gateway;

import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Control calls check that the caller owns the session; the owner never changes, so the gateway asks training-service
 * for it once, not before every start, stop, pause and resume, and forgets it when the session is deleted.
 * training-service is a stub that counts what it is asked ({@link StubTrainingService}; its sessions are admin's).
 */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
@WithTestResource(StubTrainingService.class)
class SessionOwnerLookupTest {

    static final String ADMIN = SessionGatingForwardTest.ADMIN;

    @Test
    void theOwnerIsAskedForOnceAndADeletionForgetsIt() throws Exception {
        String id = "owned-" + UUID.randomUUID().toString().substring(0, 8);
        for (String verb : new String[] {"start", "stop", "pause", "resume", "stop"}) {
            given().header("Authorization", ADMIN).post("/api/v1/sessions/" + id + "/" + verb).then().statusCode(200);
        }
        assertThat(StubTrainingService.calls(SessionGatingForwardTest.training(), id)).as("look-ups of the session").isEqualTo(1);
        assertThat(StubTrainingService.calls(SessionGatingForwardTest.training(), id + "/stop")).isEqualTo(2);

        // Someone else's trainer is still refused, from what is known.
        String trainer = "Bearer " + GatewayApiTest.createToken("ot-" + id, "trainer");
        given().header("Authorization", trainer).post("/api/v1/sessions/" + id + "/stop").then().statusCode(403);
        assertThat(StubTrainingService.calls(SessionGatingForwardTest.training(), id + "/stop")).isEqualTo(2);
        assertThat(StubTrainingService.calls(SessionGatingForwardTest.training(), id)).isEqualTo(1);

        // Deleted: forgotten, so a call on the id asks again.
        given().header("Authorization", ADMIN).delete("/api/v1/sessions/" + id).then().statusCode(200);
        given().header("Authorization", ADMIN).post("/api/v1/sessions/" + id + "/start").then().statusCode(200);
        // The deletion itself was one call on the id, the look-up after it another.
        assertThat(StubTrainingService.calls(SessionGatingForwardTest.training(), id)).isEqualTo(3);
    }
}
