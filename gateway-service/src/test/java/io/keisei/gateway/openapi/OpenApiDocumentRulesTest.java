package io.keisei.gateway.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.keisei.gateway.idempotency.Idempotent;
import io.keisei.gateway.rest.ApiDocumentFilter;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What makes docs/openapi.yaml good enough to generate working clients from, checked on every operation so that a
 * new endpoint cannot leave a gap: an operation id that makes a method name, a description, bearer security, a
 * schema for every success body, and every error a problem+json document with an example. (The file is the served
 * document: OpenApiDocumentDriftTest.)
 */
class OpenApiDocumentRulesTest {

    private static JsonNode doc;

    @BeforeAll
    static void read() throws Exception {
        doc = new YAMLMapper().readTree(OpenApiDocumentDriftTest.COMMITTED.toFile());
    }

    @Test
    void everyOperationHasAUniqueOperationIdThatMakesAMethodNameAndSaysWhatItDoes() {
        Set<String> ids = new HashSet<>();
        forEachOperation((where, op) -> {
            String id = op.path("operationId").asText("");
            assertThat(id).as(where).matches("[a-z][A-Za-z0-9]+");
            assertThat(ids.add(id)).as(where + ": operationId " + id + " is used twice").isTrue();
            assertThat(op.path("summary").asText("")).as(where).isNotBlank();
            assertThat(op.path("description").asText("")).as(where).isNotBlank();
            assertThat(op.path("tags").size()).as(where).isEqualTo(1);
        });
        assertThat(ids).contains("listSessions", "createSession", "startSession", "pauseSession", "resumeSession",
                "stopSession", "checkpointSession", "getLatestMetrics", "listModels", "downloadModel");
    }

    @Test
    void everyOperationTakesABearerToken() {
        assertThat(doc.at("/components/securitySchemes/bearer/type").asText()).isEqualTo("http");
        assertThat(doc.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
        assertThat(doc.path("security").toString()).isEqualTo("[{\"bearer\":[]}]");
        // Nothing under /api/v1 is public: no operation may opt out of the document's security.
        forEachOperation((where, op) -> assertThat(op.has("security")).as(where).isFalse());
    }

    @Test
    void everySuccessBodyHasASchemaAndEveryErrorIsAProblemWithAnExample() {
        forEachOperation((where, op) -> {
            List<String> codes = new ArrayList<>();
            op.path("responses").fieldNames().forEachRemaining(codes::add);
            assertThat(codes).as(where).anyMatch(c -> c.startsWith("2")).contains("401", "429");
            for (String code : codes) {
                JsonNode response = resolve(op.path("responses").path(code));
                String at = where + " " + code;
                if (code.startsWith("2") && !code.equals("204")) {
                    assertThat(response.path("content").size()).as(at).isPositive();
                    response.path("content").forEach(media -> assertThat(media.has("schema")).as(at).isTrue());
                } else if (code.startsWith("4") || code.startsWith("5")) {
                    JsonNode problem = response.path("content").path("application/problem+json");
                    assertThat(problem.at("/schema/$ref").asText()).as(at).isEqualTo("#/components/schemas/Problem");
                    assertThat(problem.path("examples").size()).as(at).isPositive();
                }
            }
        });
    }

    @Test
    void theProblemSchemaIsRfc9457WithFieldErrors() {
        JsonNode problem = doc.at("/components/schemas/Problem/properties");
        assertThat(problem.has("type") && problem.has("title") && problem.has("status") && problem.has("detail")
                && problem.has("instance") && problem.has("errors")).as(problem.toString()).isTrue();
        JsonNode fieldError = resolve(problem.path("errors").path("items"));
        assertThat(fieldError.path("properties").has("field") && fieldError.path("properties").has("message"))
                .as(fieldError.toString()).isTrue();
    }

    @Test
    void sessionStatesAndRolesAreEnums() {
        assertThat(values(doc.at("/components/schemas/SessionState/enum"))).containsExactly("created", "queued", "starting",
                "running", "pausing", "paused", "stopping", "stopped", "completed", "failed");
        assertThat(values(doc.at("/components/schemas/Role/enum"))).containsExactly("admin", "trainer", "researcher", "viewer");
        assertThat(doc.at("/components/schemas/Session/properties/state/$ref").asText())
                .isEqualTo("#/components/schemas/SessionState");
        assertThat(doc.at("/components/schemas/SessionStatus/properties/state/$ref").asText())
                .isEqualTo("#/components/schemas/SessionState");
    }

    @Test
    void theWritesThatTakeAnIdempotencyKeyNameItAndItsAnswers() throws Exception {
        JsonNode header = doc.at("/components/parameters/Idempotency-Key");
        assertThat(header.path("in").asText()).isEqualTo("header");
        assertThat(header.path("required").asBoolean(true)).isFalse();
        assertThat(header.at("/schema/maxLength").asInt()).isEqualTo(255);
        Set<String> documented = new TreeSet<>();
        forEachOperation((where, op) -> {
            boolean takesKey = false;
            for (JsonNode p : op.path("parameters")) {
                takesKey |= p.path("$ref").asText().equals("#/components/parameters/Idempotency-Key");
            }
            if (takesKey) {
                documented.add(op.path("operationId").asText());
                assertThat(where).startsWith("POST ");
                JsonNode responses = op.path("responses");
                assertThat(responses.at("/409/$ref").asText()).as(where).endsWith("IdempotencyKeyInProgress");
                assertThat(responses.at("/422/$ref").asText()).as(where).isEqualTo("#/components/responses/IdempotencyKeyReused");
            }
        });
        // The POSTs that create or change something; validate, estimate and download links change nothing.
        assertThat(documented).containsExactlyInAnyOrder("createSession", "startSession", "stopSession", "pauseSession",
                "resumeSession", "checkpointSession", "forkModel", "createToken", "createEvaluation", "cancelEvaluation");
        // The document says what the gateway does: exactly the @Idempotent methods honour the header.
        assertThat(idempotentOperations()).isEqualTo(documented);
    }

    /** The operation ids of the resource methods marked @Idempotent. */
    private static Set<String> idempotentOperations() throws Exception {
        Set<String> ids = new TreeSet<>();
        Path rest = Path.of(ApiDocumentFilter.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("io/keisei/gateway/rest");
        try (Stream<Path> classes = Files.list(rest)) {
            for (Path c : classes.filter(f -> f.getFileName().toString().endsWith("Resource.class")).toList()) {
                String name = "io.keisei.gateway.rest." + c.getFileName().toString().replace(".class", "");
                for (Method m : Class.forName(name).getDeclaredMethods()) {
                    Operation op = m.getAnnotation(Operation.class);
                    if (m.isAnnotationPresent(Idempotent.class) && op != null) {
                        ids.add(op.operationId());
                    }
                }
            }
        }
        assertThat(ids).as("@Idempotent methods found in " + rest).isNotEmpty();
        return ids;
    }

    private static void forEachOperation(BiConsumer<String, JsonNode> check) {
        for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                if (List.of("get", "put", "post", "delete", "patch").contains(op.getKey())) {
                    check.accept(op.getKey().toUpperCase() + " " + path.getKey(), op.getValue());
                }
            }
        }
    }

    /** The node a local $ref (#/components/...) points to, or the node itself. */
    private static JsonNode resolve(JsonNode node) {
        String ref = node.path("$ref").asText("");
        return ref.startsWith("#/") ? doc.at(ref.substring(1)) : node;
    }

    private static List<String> values(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
