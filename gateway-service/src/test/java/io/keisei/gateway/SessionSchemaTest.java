package io.keisei.gateway;

import io.keisei.contracts.api.SessionRules;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

/** getSessionSchema: the rules of createSession's fields, from contracts' SessionRules, answered by the gateway itself. */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class SessionSchemaTest {

    @Test
    void theRulesTheServerChecksAreServedWithAnETag() {
        String etag = given().header("Authorization", GatewayApiTest.ADMIN).get("/api/v1/config/session-schema")
                .then().statusCode(200).contentType("application/json")
                .header("ETag", notNullValue())
                .body("required", hasItem("name"))
                .body("properties.name.maxLength", equalTo(SessionRules.NAME_MAX_LENGTH))
                .body("properties.name.pattern", equalTo("^" + SessionRules.NAME_PATTERN + "$"))
                .body("properties.name.x-pattern-message", equalTo(SessionRules.NAME_RULE))
                .body("properties.priority.type", equalTo("integer"))
                .body("properties.priority.minimum", equalTo(SessionRules.PRIORITY_MIN))
                .body("properties.priority.maximum", equalTo(SessionRules.PRIORITY_MAX))
                .body("properties.pool.maxLength", equalTo(SessionRules.POOL_MAX_LENGTH))
                .body("properties.pool.pattern", equalTo("^" + SessionRules.POOL_PATTERN + "$"))
                .extract().header("ETag");
        given().header("Authorization", GatewayApiTest.ADMIN).header("If-None-Match", etag)
                .get("/api/v1/config/session-schema").then().statusCode(304);
    }

    @Test
    void itNeedsAToken() {
        given().get("/api/v1/config/session-schema").then().statusCode(401).contentType("application/problem+json");
    }
}
