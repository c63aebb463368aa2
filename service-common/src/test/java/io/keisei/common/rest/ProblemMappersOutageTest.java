package io.keisei.common.rest;

import io.keisei.common.health.DeadServers;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The catch-all mapper: an unavailable database or Redis is 503 with Retry-After, anything else still a 500. */
class ProblemMappersOutageTest {

    final ProblemMappers mappers = new ProblemMappers();

    @Test
    void anUnreachableDatabaseIs503WithRetryAfterNot500() {
        Throwable refused = catchThrowable(() -> DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + DeadServers.closedPort() + "/keisei", "u", "p").close());
        for (int i = 0; i < 3; i++) { // the log says it once, the answers stay the same
            Response r = mappers.unexpected(new RuntimeException("query failed", refused), null);
            assertThat(r.getStatus()).isEqualTo(503);
            assertThat(r.getHeaderString("Retry-After")).isEqualTo(String.valueOf(DependencyOutage.RETRY_AFTER_SECONDS));
            assertThat(r.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
            Problem p = (Problem) r.getEntity();
            assertThat(p.status()).isEqualTo(503);
            assertThat(p.detail()).isEqualTo("the database is unavailable; try again shortly");
        }
    }

    @Test
    void aBugIsStillA500WithoutRetryAfter() {
        Response r = mappers.unexpected(new SQLException("relation \"nope\" does not exist", "42P01"), null);
        assertThat(r.getStatus()).isEqualTo(500);
        assertThat(r.getHeaderString("Retry-After")).isNull();
        assertThat(((Problem) r.getEntity()).title()).isEqualTo("Internal error");
    }
}
