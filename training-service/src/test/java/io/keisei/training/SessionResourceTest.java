package io.keisei.training;

import io.keisei.contracts.EventType;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.Streams;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
@WithTestResource(WithResourceService.class)
class SessionResourceTest {

    @Inject
    RedisDataSource redis;

    @Test
    void createdSessionsAreStoredListedAndAnnounced() {
        String owner = "alice" + UUID.randomUUID().toString().substring(0, 8);
        String id = given().contentType(ContentType.JSON)
                .body("{\"name\":\"quick run\",\"owner\":\"" + owner + "\",\"priority\":5,"
                        + "\"config\":{\"training\":{\"learning_rate\":0.001}}}")
                .post("/sessions").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.containsString("/sessions/"))
                .body("state", equalTo("created"))
                .body("priority", equalTo(5))
                .body("config.training.learning_rate", equalTo(0.001f))
                .body("id", notNullValue())
                .extract().path("id");

        given().get("/sessions/{id}", id).then().statusCode(200).body("name", equalTo("quick run")).body("owner", equalTo(owner));
        given().queryParam("owner", owner).get("/sessions").then().statusCode(200)
                .body("total", equalTo(1)).body("items.id", hasItem(id));
        given().queryParam("owner", owner).queryParam("state", "running").get("/sessions").then().statusCode(200)
                .body("total", equalTo(0));

        // The event follows the answer (the outbox relay's own thread sends it).
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(redis.stream(String.class)
                .xrange(Streams.EVENTS, StreamRange.of("-", "+")).stream()
                .map(m -> StreamCodec.fromEntry(m.payload(), LifecycleEvent.class))
                .filter(e -> e.session().equals(id)).toList()).singleElement().satisfies(e -> {
                    assertThat(e.type()).isEqualTo(EventType.SESSION_CREATED);
                    assertThat(e.state()).isEqualTo("created");
                }));
    }

    @Test
    void invalidRequestsGetFieldErrors() {
        given().contentType(ContentType.JSON).body("{\"name\":\"\",\"owner\":\"bad owner!\",\"priority\":-1}")
                .post("/sessions").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("name", "owner", "priority"));
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"owner\":\"bob\",\"config\":[1,2]}")
                .post("/sessions").then().statusCode(400).body("errors[0].field", equalTo("config"));
        given().contentType(ContentType.JSON).body("{\"name\":")
                .post("/sessions").then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"owner\":\"bob\",\"priority\":\"high\"}")
                .post("/sessions").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("priority"));
        // An integer is an integer (as the session schema says): 2.5 is refused, not read as 2.
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"owner\":\"bob\",\"priority\":2.5}")
                .post("/sessions").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("priority"));
        // The name's rule is contracts' SessionRules, as the browser checks it.
        given().contentType(ContentType.JSON).body("{\"name\":\"a=b\",\"owner\":\"bob\"}")
                .post("/sessions").then().statusCode(400).body("errors[0].field", equalTo("name"))
                .body("errors[0].message", equalTo(io.keisei.contracts.api.SessionRules.NAME_RULE));
        given().get("/sessions?state=exploded").then().statusCode(400).body("errors[0].field", equalTo("state"));
    }

    @Test
    void unknownSessionsAre404Problems() {
        given().get("/sessions/nope").then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("session 'nope' does not exist"));
    }
}
