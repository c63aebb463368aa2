package io.keisei.resource;

import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
@TestProfile(SmallPoolProfile.class)
@WithTestResource(KeiseiInfraResource.class)
class EstimateResourceTest {

    @Test
    void defaultConfigNeedsOneCoreAndNoGpu() {
        given().contentType(ContentType.JSON).body("{}").post("/estimate").then().statusCode(200)
                .body("cpuMillis", equalTo(1000))
                .body("gpus", equalTo(0))
                .body("memoryMb", greaterThan(1024))
                .body("device", equalTo("cpu"))
                .body("modelType", equalTo("resnet"))
                .body("parameters", equalTo(13_236_692))   // the example in docs/resource-estimates.md
                .body("memoryMb", equalTo(1672))
                .body("breakdown.component", equalTo(List.of("learner", "runtime", "model state", "activations",
                        "experience buffer")));
    }

    @Test
    void cudaNeedsOneGpu() {
        given().contentType(ContentType.JSON).body("{\"env\":{\"device\":\"cuda\"},\"parallel\":{\"enabled\":true,\"num_workers\":2}}")
                .post("/estimate").then().statusCode(200)
                .body("gpus", equalTo(1))
                .body("cpuMillis", equalTo(3000))
                .body("gpuMemoryMb", equalTo(648))
                .body("breakdown.component", hasItem("gpu"));
    }

    @Test
    void invalidConfigsGetTheValidatorsFieldErrors() {
        given().contentType(ContentType.JSON)
                .body("{\"training\":{\"learning_rate\":0,\"tower_width\":\"wide\"},\"gpu\":{}}")
                .post("/estimate").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("training.learning_rate", "training.tower_width", "gpu"));
        given().contentType(ContentType.JSON).body("{\"training\":{\"minibatch_size\":4096}}")
                .post("/estimate").then().statusCode(400)
                .body("errors.field", equalTo(List.of("training.minibatch_size")));
        given().contentType(ContentType.JSON).body("[1]").post("/estimate").then().statusCode(400)
                .body("errors.field", equalTo(List.of("$")));
    }
}
