package io.keisei.training;

import io.keisei.training.persistence.SessionFiles;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A keisei-train (Keisei 2026) session launched for real through the registered custom trainer of the test profile:
 * the wrapper {@code examples/keisei-bridge/keisei_train_webui.py} with the TOML training-service writes. Keisei itself
 * cannot be installed here, so the attempt must fail with the wrapper's own message about it, after the file it
 * would have read was written with the session's directories.
 */
@QuarkusTest
@WithTestResource(WithResourceService.class)
class KeiseiTrainSessionTest {

    @Inject
    SessionFiles files;

    @Test
    void theWrapperIsLaunchedWithTheSessionsTomlAndItsFailureReachesTheSession() throws Exception {
        assumeTrue(pythonWithTomllib(), "python3 >= 3.11 (tomllib) not found");
        String id = given().contentType(ContentType.JSON)
                .body("{\"name\":\"keisei-train\",\"owner\":\"alice\",\"template\":\"keisei-2026\","
                        + "\"config\":{\"resources\":{\"gpus\":0},\"training\":{\"num_games\":8}}}")
                .post("/sessions").then().statusCode(201).extract().path("id");
        given().post("/sessions/{id}/start", id).then().statusCode(200);
        SessionLifecycleTest.awaitState(id, "failed", Duration.ofSeconds(60));

        Path toml = files.config(id, 1, "config.toml");
        assertThat(toml).exists();
        String content = Files.readString(toml);
        assertThat(content).contains(files.dir(id).resolve("keisei.db").toString())
                .contains(files.checkpoints(id).toString()).doesNotContain("gpus");
        String log = given().get("/sessions/{id}/logs", id).then().statusCode(200).extract().asString();
        assertThat(log).contains("keisei-train");
        Integer exit = given().get("/sessions/{id}/attempts", id).then().statusCode(200).extract().path("[0].exitCode");
        assertThat(exit).isNotNull().isNotZero();
    }

    private static boolean pythonWithTomllib() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import tomllib").redirectErrorStream(true).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
