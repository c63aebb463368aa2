package io.keisei.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.keisei.testsupport.KeiseiInfraResource;
import io.keisei.testsupport.PackagedService;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/openapi.yaml is what the gateway serves at /q/openapi: clients are generated from the committed file
 * (api-client-it), so a change to the API that is not in the file fails here. Compared as parsed YAML, so
 * formatting and key order do not matter. {@code -Dkeisei.openapi.write=true} rewrites the file from the served
 * document instead.
 */
@QuarkusTest
@WithTestResource(KeiseiInfraResource.class)
class OpenApiDocumentDriftTest {

    static final Path COMMITTED = PackagedService.repoRoot().resolve("docs/openapi.yaml");
    private static final String REGENERATE =
            "./mvnw -pl gateway-service test -Dtest=OpenApiDocumentDriftTest -Dkeisei.openapi.write=true";

    @Test
    void theCommittedDocumentIsTheServedOne() throws Exception {
        String served = given().accept("application/yaml").get("/q/openapi").then().statusCode(200).extract().asString();
        if (Boolean.getBoolean("keisei.openapi.write")) {
            Files.writeString(COMMITTED, served);
        }
        assertThat(COMMITTED).as("docs/openapi.yaml is missing: run " + REGENERATE).exists();
        YAMLMapper yaml = new YAMLMapper();
        JsonNode committed = yaml.readTree(COMMITTED.toFile());
        assertThat(JsonTreeDiff.between(committed, yaml.readTree(served), 20))
                .as("the API changed but docs/openapi.yaml did not: check the change, then regenerate the file with "
                        + REGENERATE + " and commit it (clients are generated from it)")
                .isEmpty();
    }
}
