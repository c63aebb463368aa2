package io.keisei.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at real PostgreSQL and Redis ({@link TestInfrastructure}) and gives it
 * the test service credential ({@link TestServiceCredential}), which RestAssured then sends on every
 * request (a test that means to go without builds its own request).
 * Use it with {@code @WithTestResource(KeiseiInfraResource.class)}.
 */
public class KeiseiInfraResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        TestInfrastructure infra = TestInfrastructure.get();
        SendCredential.install();
        return Map.of(
                "quarkus.datasource.jdbc.url", infra.jdbcUrl(),
                "quarkus.datasource.username", infra.dbUser(),
                "quarkus.datasource.password", infra.dbPassword(),
                "quarkus.redis.hosts", infra.redisUrl(),
                "keisei.service-auth.token", TestServiceCredential.TOKEN);
    }

    /**
     * Adds the test credential to every RestAssured request that does not set the header itself (a test
     * may send a wrong one). A filter and not a default request specification: a specification would also
     * fix the port, which Quarkus sets per test.
     */
    static final class SendCredential implements Filter {

        static synchronized void install() {
            if (RestAssured.filters().stream().noneMatch(f -> f instanceof SendCredential)) {
                RestAssured.filters(new SendCredential());
            }
        }

        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response, FilterContext ctx) {
            if (!request.getHeaders().hasHeaderWithName(TestServiceCredential.HEADER)) {
                request.header(TestServiceCredential.HEADER, TestServiceCredential.TOKEN);
            }
            return ctx.next(request, response);
        }
    }

    @Override
    public void stop() {
        // The servers are shared by every test class of this JVM; a shutdown hook stops them.
    }
}
