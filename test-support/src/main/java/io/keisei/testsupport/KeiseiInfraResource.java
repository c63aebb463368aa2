package io.keisei.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at real PostgreSQL and Redis ({@link TestInfrastructure}).
 * Use it with {@code @WithTestResource(KeiseiInfraResource.class)}.
 */
public class KeiseiInfraResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        TestInfrastructure infra = TestInfrastructure.get();
        return Map.of(
                "quarkus.datasource.jdbc.url", infra.jdbcUrl(),
                "quarkus.datasource.username", infra.dbUser(),
                "quarkus.datasource.password", infra.dbPassword(),
                "quarkus.redis.hosts", infra.redisUrl());
    }

    @Override
    public void stop() {
        // The servers are shared by every test class of this JVM; a shutdown hook stops them.
    }
}
