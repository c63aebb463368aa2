package io.keisei.training;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
@WithTestResource(WithResourceService.class)
class ConfigApiTest {

    @Test
    void schemaDefaultsAndTemplates() {
        given().get("/config/schema").then().statusCode(200)
                .body("properties.training.properties.learning_rate.maximum", equalTo(1.0f))
                .body("properties.training.additionalProperties", equalTo(false));
        given().get("/config/defaults").then().statusCode(200).body("training.steps_per_epoch", equalTo(2048));
        given().get("/config/templates").then().statusCode(200)
                .body("name", hasItems("quick-cpu", "keisei-defaults", "large-gpu"))
                .body("find { it.name == 'large-gpu' }.config.env.device", equalTo("cuda"));
    }

    @Test
    void validateReportsEveryFieldError() {
        given().contentType(ContentType.JSON)
                .body("{\"training\":{\"learning_rate\":0,\"minibatch_size\":4096,\"wat\":1},\"env\":{\"device\":\"tpu\"}}")
                .post("/config/validate").then().statusCode(200)
                .body("valid", equalTo(false))
                .body("errors.field", containsInAnyOrder("training.learning_rate", "training.wat", "env.device"));
        given().contentType(ContentType.JSON).body("{\"training\":{\"steps_per_epoch\":32}}")
                .post("/config/validate").then().statusCode(200)
                .body("valid", equalTo(false)).body("errors[0].field", equalTo("training.minibatch_size"));
        given().contentType(ContentType.JSON).body("{\"training\":{\"learning_rate\":0.01}}")
                .post("/config/validate").then().statusCode(200)
                .body("valid", equalTo(true)).body("effective.training.learning_rate", equalTo(0.01f))
                .body("effective.training.gamma", equalTo(0.99f));
    }

    @Test
    void sessionsWithBadConfigsAreRejectedWithFieldErrors() {
        given().contentType(ContentType.JSON)
                .body("{\"name\":\"x\",\"owner\":\"bob\",\"template\":\"quick-cpu\",\"config\":{\"training\":{\"total_timesteps\":20000000}}}")
                .post("/sessions").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", containsInAnyOrder("config.training.total_timesteps"));
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"owner\":\"bob\",\"template\":\"nope\"}")
                .post("/sessions").then().statusCode(400).body("errors[0].field", equalTo("template"));
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"owner\":\"bob\",\"trainer\":\"rm -rf /\"}")
                .post("/sessions").then().statusCode(400).body("errors[0].field", equalTo("trainer"));
    }

    @Test
    void configIsReadableAndEditableOnlyWhileNotRunning() {
        String id = given().contentType(ContentType.JSON).body("{\"name\":\"cfg\",\"owner\":\"bob\",\"template\":\"quick-cpu\"}")
                .post("/sessions").then().statusCode(201).extract().path("id");
        given().get("/sessions/{id}/config", id).then().statusCode(200).body("training.tower_width", equalTo(64));
        given().contentType(ContentType.JSON).body("{\"training\":{\"tower_width\":32}}")
                .put("/sessions/{id}/config", id).then().statusCode(200).body("training.tower_width", equalTo(32))
                .body("training.steps_per_epoch", equalTo(2048));
        given().contentType(ContentType.JSON).body("{\"training\":{\"tower_width\":-1}}")
                .put("/sessions/{id}/config", id).then().statusCode(400).body("errors[0].field", equalTo("training.tower_width"));
    }

    @Test
    void eachTrainerHasItsDialectSchemaAndDefaults() {
        given().get("/config/trainers").then().statusCode(200)
                .body("find { it.name == 'builtin' }.dialect", equalTo("keisei-2025"))
                .body("find { it.name == 'builtin' }.builtin", equalTo(true))
                .body("find { it.name == 'keisei-2026' }.dialect", equalTo("keisei-2026"));
        given().queryParam("trainer", "keisei-2026").get("/config/schema").then().statusCode(200)
                .body("properties.training.properties.num_games.maximum", equalTo(512))
                .body("properties.model.properties.params.properties.num_blocks.default", equalTo(40))
                .body("properties.env", equalTo(null));
        given().queryParam("trainer", "keisei-2026").get("/config/defaults").then().statusCode(200)
                .body("training.algorithm", equalTo("katago_ppo")).body("resources.gpus", equalTo(1));
        given().queryParam("trainer", "nope").get("/config/schema").then().statusCode(400)
                .body("errors[0].field", equalTo("trainer"));
        given().contentType(ContentType.JSON).queryParam("trainer", "keisei-2026")
                .body("{\"training\":{\"num_games\":1000,\"checkpoint_dir\":\"/etc\"},\"env\":{}}")
                .post("/config/validate").then().statusCode(200).body("valid", equalTo(false))
                .body("errors.field", containsInAnyOrder("training.num_games", "training.checkpoint_dir", "env"));
    }

    @Test
    void templatesNameTheirTrainerAndSessionsTakeIt() {
        given().get("/config/templates").then().statusCode(200)
                .body("find { it.name == 'keisei-2026' }.dialect", equalTo("keisei-2026"))
                .body("find { it.name == 'keisei-2026' }.available", equalTo(true))
                .body("find { it.name == 'keisei-2026' }.config.model.architecture", equalTo("se_resnet"))
                .body("find { it.name == 'keisei-2025' }.trainer", equalTo("keisei-2025"))
                .body("find { it.name == 'keisei-2025' }.available", equalTo(false))
                .body("find { it.name == 'quick-cpu' }.trainer", equalTo("builtin"));
        String id = given().contentType(ContentType.JSON)
                .body("{\"name\":\"toml\",\"owner\":\"bob\",\"template\":\"keisei-2026\",\"config\":{\"training\":{\"num_games\":64}}}")
                .post("/sessions").then().statusCode(201)
                .body("trainer", equalTo("keisei-2026"))
                .body("config.training.num_games", equalTo(64))
                .body("config.training.algorithm_params.batch_size", equalTo(1024)).extract().path("id");
        // Edited in its own dialect: a Keisei 2025 section is not one of keisei-train's tables.
        given().contentType(ContentType.JSON).body("{\"training\":{\"learning_rate\":0.01}}")
                .put("/sessions/{id}/config", id).then().statusCode(400).body("errors[0].field", equalTo("training.learning_rate"));
        given().contentType(ContentType.JSON).body("{\"training\":{\"num_games\":32}}")
                .put("/sessions/{id}/config", id).then().statusCode(200).body("training.num_games", equalTo(32));

        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"owner\":\"bob\",\"template\":\"keisei-2025\"}")
                .post("/sessions").then().statusCode(400).body("errors[0].field", equalTo("template"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("none is registered here"));
        given().contentType(ContentType.JSON).body("{\"name\":\"x\",\"owner\":\"bob\",\"template\":\"quick-cpu\",\"trainer\":\"keisei-2026\"}")
                .post("/sessions").then().statusCode(400).body("errors[0].field", equalTo("template"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("keisei-2025 config"));
    }

    @Test
    void aKeiseiTrainTomlFileIsTakenAsItIs() {
        String toml = """
                [model]
                display_name = "Kojiro"
                architecture = "se_resnet"

                [model.params]
                num_blocks = 20

                [training]
                num_games = 32

                [training.algorithm_params]
                learning_rate = 0.0001
                """;
        java.util.Map<String, Object> body = new java.util.HashMap<>(java.util.Map.of("name", "from toml", "owner", "bob",
                "template", "keisei-2026", "configToml", toml));
        given().contentType(ContentType.JSON).body(body).post("/sessions").then().statusCode(201)
                .body("config.model.display_name", equalTo("Kojiro"))
                .body("config.model.params.num_blocks", equalTo(20))
                .body("config.model.params.channels", equalTo(256))
                .body("config.training.algorithm_params.learning_rate", equalTo(1.0e-4f))
                .body("config.training.algorithm_params.batch_size", equalTo(1024));
        body.put("configToml", "[training\nnum_games = 3");
        given().contentType(ContentType.JSON).body(body).post("/sessions").then().statusCode(400)
                .body("errors[0].field", equalTo("configToml"))
                .body("errors[0].message", org.hamcrest.Matchers.startsWith("malformed TOML"));
        body.put("configToml", "[training]\ncheckpoint_dir = \"/etc\"\n");
        given().contentType(ContentType.JSON).body(body).post("/sessions").then().statusCode(400)
                .body("errors[0].field", equalTo("config.training.checkpoint_dir"));
        given().contentType(ContentType.JSON).body(java.util.Map.of("name", "x", "owner", "bob", "template", "quick-cpu",
                "configToml", "[training]\n")).post("/sessions").then().statusCode(400).body("errors[0].field", equalTo("configToml"));
    }
}
