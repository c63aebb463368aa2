package io.keisei.metrics;

import io.keisei.metrics.support.FaultyLink;
import io.keisei.testsupport.KeiseiInfraResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Degraded, not dead: with Redis or PostgreSQL down or hung, liveness and readiness stay UP and answer at
 * once (the launcher and Kubernetes keep the service), /q/health/well says which dependency is DOWN since
 * when and why within about a second, reads that need only PostgreSQL keep working while Redis is out, and
 * a read that needs the database answers 503 with Retry-After while it is out, never 500.
 */
@QuarkusTest
@WithTestResource(OutageTest.Links.class)
class OutageTest {

    static final String READ = "/sessions/outage-test/metrics/latest";

    /** The shared PostgreSQL and Redis, reached through links the test breaks. */
    public static class Links extends KeiseiInfraResource {
        static FaultyLink postgres;
        static FaultyLink redis;
        private static final Pattern HOST_PORT = Pattern.compile("//([^:/@]+):(\\d+)");

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            String jdbc = config.get("quarkus.datasource.jdbc.url");
            String redisUrl = config.get("quarkus.redis.hosts");
            postgres = link(jdbc);
            redis = link(redisUrl);
            config.put("quarkus.datasource.jdbc.url", HOST_PORT.matcher(jdbc).replaceFirst("//127.0.0.1:" + postgres.port()));
            config.put("quarkus.redis.hosts", HOST_PORT.matcher(redisUrl).replaceFirst("//127.0.0.1:" + redis.port()));
            return config;
        }

        private static FaultyLink link(String url) {
            Matcher m = HOST_PORT.matcher(url);
            if (!m.find()) {
                throw new IllegalStateException("no host:port in " + url);
            }
            return new FaultyLink(m.group(1), Integer.parseInt(m.group(2)));
        }

        @Override
        public void stop() {
            postgres.close();
            redis.close();
        }
    }

    /** Timings below are about outages, not the first call of a fresh application: warm the endpoints up. */
    @BeforeEach
    void warmUp() {
        for (String path : new String[]{"/q/health/live", "/q/health/ready", "/q/health/well", "/q/health", READ}) {
            given().get(path).then().statusCode(200);
        }
    }

    @AfterEach
    void bringBack() {
        Links.postgres.restore();
        Links.redis.restore();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().get("/q/health/well").statusCode() == 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get(READ).statusCode() == 200);
    }

    /** GET path, asserting it answered within {@code within}. */
    static Response timed(String path, Duration within) {
        long start = System.nanoTime();
        Response r = given().get(path);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as(path).isLessThan(within);
        return r;
    }

    static void livenessAndReadinessStayUpAndFast() {
        timed("/q/health/live", Duration.ofSeconds(1)).then().statusCode(200).body("status", equalTo("UP"));
        timed("/q/health/ready", Duration.ofSeconds(1)).then().statusCode(200).body("status", equalTo("UP"));
    }

    static void wellnessSays(String down, String up, String error) {
        Response well = timed("/q/health/well", Duration.ofMillis(2000));
        well.then().statusCode(503).body("status", equalTo("DOWN"))
                .body("checks.find { it.name == '" + down + "' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == '" + up + "' }.status", equalTo("UP"));
        assertThat(well.path("checks.find { it.name == '" + down + "' }.data.error").toString()).contains(error);
        Instant since = Instant.parse(well.path("checks.find { it.name == '" + down + "' }.data.downSince"));
        assertThat(since).isBefore(Instant.now().plusSeconds(1));
        // Asked again while the ping is still unanswered: at once, and the outage still dates from the first answer.
        Response again = timed("/q/health/well", Duration.ofMillis(2000));
        assertThat(Instant.parse(again.path("checks.find { it.name == '" + down + "' }.data.downSince"))).isEqualTo(since);
        // The aggregate includes wellness: it says DOWN too (monitoring's view, not a probe's).
        timed("/q/health", Duration.ofMillis(2000)).then().statusCode(503)
                .body("checks.find { it.name == '" + down + "' }.status", equalTo("DOWN"));
    }

    @Test
    void allUpWellnessChecksBothDependenciesAndReadinessNeither() {
        given().get("/q/health/well").then().statusCode(200)
                .body("checks.find { it.name == 'redis' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'postgresql' }.status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'redis' }", org.hamcrest.Matchers.nullValue())
                .body("checks.find { it.name == 'Redis connection health check' }", org.hamcrest.Matchers.nullValue())
                .body("checks.find { it.name == 'Database connections health check' }", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void aHungRedisLeavesTheServiceReadyAndReadsWorking() {
        Links.redis.hang();
        livenessAndReadinessStayUpAndFast();
        wellnessSays("redis", "postgresql", "no answer");
        given().get(READ).then().statusCode(200);
        livenessAndReadinessStayUpAndFast();
    }

    @Test
    void aStoppedRedisLeavesTheServiceReadyAndReadsWorking() {
        Links.redis.cut();
        livenessAndReadinessStayUpAndFast();
        wellnessSays("redis", "postgresql", "");
        given().get(READ).then().statusCode(200);
    }

    @Test
    void aStoppedDatabaseMakesReads503WithRetryAfterNot500() {
        Links.postgres.cut();
        for (int i = 0; i < 3; i++) { // a broken pooled connection, then no connection at all: the same answer
            timed(READ, Duration.ofSeconds(5)).then().statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", "5")
                    .body("status", equalTo(503))
                    .body("detail", equalTo("the database is unavailable; try again shortly"));
        }
        livenessAndReadinessStayUpAndFast();
        wellnessSays("postgresql", "redis", "");
    }

    @Test
    void aHungDatabaseLeavesHealthFast() {
        Links.postgres.hang();
        livenessAndReadinessStayUpAndFast();
        wellnessSays("postgresql", "redis", "no answer");
        livenessAndReadinessStayUpAndFast();
    }
}
