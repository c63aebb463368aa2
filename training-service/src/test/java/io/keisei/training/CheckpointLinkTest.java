package io.keisei.training;

import io.keisei.contracts.CheckpointInfo;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.Streams;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Trainers write into their session's checkpoint directory and announce files by path: a link
 * placed there must never make the registry serve a file from elsewhere (the admin token, another
 * session's checkpoint).
 */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class CheckpointLinkTest {

    @Inject
    RedisDataSource redis;
    @ConfigProperty(name = "keisei.training.data-dir")
    String dataDir;

    String createSession() {
        return given().contentType(ContentType.JSON).body("{\"name\":\"links\",\"owner\":\"mallory\",\"template\":\"quick-cpu\"}")
                .post("/sessions").then().statusCode(201).extract().path("id");
    }

    void announce(String session, Path file, long step) {
        redis.stream(String.class).xadd(Streams.EVENTS, StreamCodec.toEntry(LifecycleEvent.checkpointSaved(session, 1, "trainer",
                new CheckpointInfo(file.toString(), step, 5, "0".repeat(64)))));
    }

    List<String> modelIds(String session) {
        return given().queryParam("session", session).get("/models").then().statusCode(200).extract().path("items.id");
    }

    @Test
    void linksInACheckpointDirectoryAreNeverRegisteredOrServed() throws Exception {
        String session = createSession();
        Path sessionDir = Path.of(dataDir).toAbsolutePath().normalize().resolve("sessions").resolve(session);
        Path checkpoints = Files.createDirectories(sessionDir.resolve("checkpoints"));
        Path secret = Files.writeString(Path.of(dataDir).toAbsolutePath().resolve("admin.token-" + session), "kst_secret",
                StandardCharsets.UTF_8);
        Path outside = Files.createDirectories(Path.of(dataDir).toAbsolutePath().resolve("elsewhere-" + session));
        Files.writeString(outside.resolve("x.kshogi"), "other", StandardCharsets.UTF_8);

        Files.createSymbolicLink(checkpoints.resolve("link.kshogi"), secret);
        Files.createSymbolicLink(checkpoints.resolve("linked-dir"), outside);
        Path real = Files.writeString(checkpoints.resolve("real.kshogi"), "bytes", StandardCharsets.UTF_8);
        announce(session, checkpoints.resolve("link.kshogi"), 100);
        announce(session, checkpoints.resolve("linked-dir").resolve("x.kshogi"), 200);
        announce(session, real, 300);

        // The regular file is registered; the events are handled in order, so the links were refused by then.
        await().atMost(Duration.ofSeconds(20)).until(() -> modelIds(session).size() == 1);
        given().queryParam("session", session).get("/models").then().body("items[0].step", equalTo(300));
        String model = modelIds(session).get(0);
        assertThat(given().get("/models/{m}/download", model).then().statusCode(200).extract().asString()).isEqualTo("bytes");

        // A registered file later swapped for a link is not followed.
        Files.delete(real);
        Files.createSymbolicLink(real, secret);
        given().get("/models/{m}/download", model).then().statusCode(404).contentType("application/problem+json");
        assertThat(modelIds(session)).hasSize(1);
    }

    /** A Keisei .pt has no header of ours: the metrics the bridge announces with it are what the registry keeps. */
    @Test
    void metricsAnnouncedWithAHeaderlessCheckpointAreKept() throws Exception {
        String session = createSession();
        Path checkpoints = Files.createDirectories(Path.of(dataDir).toAbsolutePath().normalize().resolve("sessions")
                .resolve(session).resolve("checkpoints"));
        Path pt = Files.writeString(checkpoints.resolve("checkpoint_ts4096.pt"), "torch bytes", StandardCharsets.UTF_8);
        redis.stream(String.class).xadd(Streams.EVENTS, StreamCodec.toEntry(LifecycleEvent.checkpointSaved(session, 1, "trainer",
                new CheckpointInfo(pt.toString(), 4096, 11, "0".repeat(64),
                        java.util.Map.of("keisei/eval/win_rate", 0.75, "keisei/eval/elo", 1516.0, "keisei/eval/step", 4000.0)))));
        await().atMost(Duration.ofSeconds(20)).until(() -> modelIds(session).size() == 1);
        given().queryParam("session", session).get("/models").then()
                .body("items[0].metrics.'keisei/eval/win_rate'", equalTo(0.75f))
                .body("items[0].metrics.'keisei/eval/elo'", equalTo(1516.0f));
    }
}
