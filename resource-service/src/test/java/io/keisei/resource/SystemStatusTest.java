package io.keisei.resource;

import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.Streams;
import io.keisei.contracts.SystemStatus;
import io.keisei.resource.discovery.HostName;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

/** This node's CPU, memory and GPUs flow into keisei:system once a second, trimmed, and the latest is served over REST. */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class SystemStatusTest {

    @Inject
    RedisDataSource redis;

    StreamCommands<String, String, String> streams() {
        return redis.stream(String.class, String.class, String.class);
    }

    List<SystemStatus> samplesSince(long time) {
        return streams().xrange(Streams.SYSTEM, StreamRange.of("-", "+")).stream()
                .map(m -> StreamCodec.fromEntry(m.payload(), SystemStatus.class))
                .filter(s -> s.node().equals(HostName.get()) && s.time() >= time)
                .toList();
    }

    @Test
    void samplesOfThisNodeArePublishedOnTheSystemStream() {
        long start = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(30)).until(() -> samplesSince(start).size() >= 4);
        List<SystemStatus> samples = samplesSince(start);
        assertThat(samples).allSatisfy(s -> {
            assertThat(s.v()).isEqualTo(SystemStatus.VERSION);
            assertThat(s.cpuPercent()).isBetween(0.0, 100.0);
            assertThat(s.perCorePercent()).isNotEmpty().allSatisfy(p -> assertThat(p).isBetween(0.0, 100.0));
            assertThat(s.memoryTotalMb()).isPositive();
            assertThat(s.memoryUsedMb()).isPositive().isLessThanOrEqualTo(s.memoryTotalMb());
            assertThat(s.gpus()).isEmpty(); // this profile has no GPUs
        });
        // One a second, not a flood: consecutive samples are in order and at least half a second apart.
        for (int i = 1; i < samples.size(); i++) {
            assertThat(samples.get(i).time() - samples.get(i - 1).time()).isGreaterThanOrEqualTo(500);
        }
    }

    @Test
    void theStreamIsTrimmedToAboutAnHour() {
        // Fill the stream well beyond its bound; the sampler's writes trim it (approximately, in whole nodes).
        StreamCommands<String, String, String> s = streams();
        SystemStatus filler = new SystemStatus(SystemStatus.VERSION, "filler", 1, 0, List.of(), 1, 1, List.of());
        for (int i = 0; i < Streams.SYSTEM_MAXLEN + 1500; i++) {
            s.xadd(Streams.SYSTEM, StreamCodec.toEntry(filler));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(s.xlen(Streams.SYSTEM)).isLessThanOrEqualTo(Streams.SYSTEM_MAXLEN + 200));
    }

    @Test
    void theLatestSampleIsServedOverRest() {
        given().get("/system/status").then().statusCode(200)
                .body("v", equalTo(1))
                .body("node", equalTo(HostName.get()))
                .body("memoryTotalMb", greaterThan(0))
                .body("time", greaterThan(0L));
    }
}
