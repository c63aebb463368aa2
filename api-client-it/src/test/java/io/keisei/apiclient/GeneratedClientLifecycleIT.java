package io.keisei.apiclient;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.client.ApiClient;
import io.keisei.client.ApiException;
import io.keisei.client.api.AuthApi;
import io.keisei.client.api.ConfigApi;
import io.keisei.client.api.GamesApi;
import io.keisei.client.api.MetricsApi;
import io.keisei.client.api.ModelsApi;
import io.keisei.client.api.ResourcesApi;
import io.keisei.client.api.SessionsApi;
import io.keisei.client.api.SystemApi;
import io.keisei.client.model.AllocationState;
import io.keisei.client.model.CreateSessionRequest;
import io.keisei.client.model.CreatedToken;
import io.keisei.client.model.GameSummary;
import io.keisei.client.model.LatestMetrics;
import io.keisei.client.model.MetricHistory;
import io.keisei.client.model.Model;
import io.keisei.client.model.NewToken;
import io.keisei.client.model.Problem;
import io.keisei.client.model.Role;
import io.keisei.client.model.Session;
import io.keisei.client.model.SessionEvent;
import io.keisei.client.model.SessionState;
import io.keisei.testsupport.PackagedService;
import io.keisei.testsupport.PackagedSuite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A session's whole lifecycle driven only through the Java client generated from docs/openapi.yaml (this module's
 * main code), against the packaged suite with a real built-in trainer: create from a template, start, read the
 * metrics it learns, checkpoint, pause, resume, stop, list its models and download one whose bytes hash to the
 * sha256 the API reports; then every other read, and deletes. Each answer decodes into the generated models, so a document that
 * promises another shape than the services send (a missing enum value, a wrong type) fails here.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GeneratedClientLifecycleIT {

    /** A network and an epoch so small that the first PPO update, and its metrics, come within seconds. */
    private static final String TINY = """
            {"training": {"total_timesteps": 5000000, "steps_per_epoch": 64, "minibatch_size": 32, "ppo_epochs": 1,
                          "tower_width": 16, "tower_depth": 1, "checkpoint_interval_timesteps": 1000000,
                          "evaluation_interval_timesteps": 1000000},
             "evaluation": {"enable_periodic_evaluation": false},
             "env": {"max_moves_per_game": 60}}""";
    private static final Duration STATE_CHANGE = Duration.ofSeconds(90);

    private static PackagedSuite suite;
    private static ApiClient client;
    /** The session the lifecycle test ran, stopped, for the reads after it. */
    private static String sessionId;

    @BeforeAll
    static void startSuite() {
        suite = PackagedSuite.start(PackagedService.repoRoot().resolve("api-client-it/target/it-suite-data"));
        client = new ApiClient();
        client.updateBaseUri(suite.gatewayUrl());
        client.setReadTimeout(Duration.ofSeconds(60));
        // The document declares bearer security; the native library leaves sending the token to the caller.
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + suite.adminToken()));
    }

    @AfterAll
    static void stopSuite() {
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    @Order(1)
    void aSessionsWholeLifecycle() throws Exception {
        SessionsApi sessions = new SessionsApi(client);
        MetricsApi metrics = new MetricsApi(client);
        ModelsApi models = new ModelsApi(client);

        // Writes take an optional Idempotency-Key: a retry with the same key gets the first answer, not a second session.
        CreateSessionRequest request = new CreateSessionRequest().name("generated client run").template("quick-cpu")
                .config(new ObjectMapper().readValue(TINY, new TypeReference<Map<String, Object>>() { }));
        String key = UUID.randomUUID().toString();
        Session created = sessions.createSession(request, key);
        String id = created.getId();
        assertThat(created.getState()).isEqualTo(SessionState.CREATED);
        assertThat(created.getPool()).as("no pool named: the default one").isNull();
        assertThat(sessions.createSession(request, key).getId()).isEqualTo(id);

        sessions.startSession(id, null);
        awaitState(sessions, id, SessionState.RUNNING);
        LatestMetrics latest = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> metrics.getLatestMetrics(id), l -> l.getMetrics().containsKey("ppo/policy_loss"));
        assertThat(latest.getStep()).isPositive();
        // Raw [step, value] points while the range holds at most max_points of them.
        MetricHistory history = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> metrics.getMetricHistory(id, "ppo/policy_loss", null, null, 1000, null, null),
                        h -> h.getSeries().size() == 1 && !h.getSeries().get(0).getPoints().isEmpty());
        assertThat(history.getSeries().get(0).getMetric()).isEqualTo("ppo/policy_loss");
        assertThat(history.getSeries().get(0).getPoints()).allSatisfy(point -> assertThat(point).hasSize(2));
        assertThat(metrics.listMetricNames(id)).contains("ppo/policy_loss", "ppo/entropy");

        assertThat(sessions.checkpointSession(id, null).getSession()).isEqualTo(id);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> models.listModels(id, null, null, null).getTotal(), total -> total > 0);

        sessions.pauseSession(id, null);
        awaitState(sessions, id, SessionState.PAUSED);
        sessions.resumeSession(id, null);
        awaitState(sessions, id, SessionState.RUNNING);
        sessions.stopSession(id, null);
        awaitState(sessions, id, SessionState.STOPPED);
        assertThat(sessions.getSession(id).getAttempts()).isEqualTo(2);

        // The newest model (stop saves one too): its file hashes to the sha256 the API reports.
        Model model = models.getModel(models.listModels(id, null, 0, 20).getItems().get(0).getId(), null);
        assertThat(model.getSession()).isEqualTo(id);
        File file = models.downloadModel(model.getId(), null, null, null);
        assertThat(file.length()).isEqualTo(model.getSizeBytes());
        assertThat(sha256(file)).isEqualTo(model.getSha256());
        // A signed link names the same file and carries its own expiry.
        var link = models.createModelDownloadLink(model.getId());
        assertThat(link.getUrl()).contains("/api/v1/models/").contains("signature=");
        assertThat(link.getExpiresAt()).isAfter(java.time.OffsetDateTime.now());
        sessionId = id;
    }

    @Test
    @Order(2)
    void everyOtherReadDecodesIntoTheGeneratedModels() throws Exception {
        assumeThat(sessionId).as("the lifecycle test ran a session").isNotNull();
        String id = sessionId;
        SessionsApi sessions = new SessionsApi(client);
        assertThat(sessions.listSessions(null, SessionState.STOPPED, 0, 20).getItems()).extracting(Session::getId).contains(id);
        assertThat(sessions.listSessionAttempts(id)).hasSize(2);
        assertThat(sessions.getSessionConfig(id, null)).containsKey("training");
        assertThat(sessions.getSessionLogs(id, 20)).isNotNull();

        MetricsApi metrics = new MetricsApi(client);
        assertThat(metrics.listMetricAttempts(id)).isNotEmpty();
        assertThat(metrics.listSessionEvents(id)).extracting(SessionEvent::getType).contains("checkpoint.saved");
        assertThat(Files.readString(metrics.exportMetrics(id, "csv", "ppo/entropy").toPath())).startsWith("metric,step,value");

        GamesApi games = new GamesApi(client);
        List<GameSummary> recent = games.listSessionGames(id, 5);
        if (!recent.isEmpty()) {
            String gameId = recent.get(0).getGameId();
            assertThat(games.getSessionGame(id, gameId).getMoves()).isNotNull();
            assertThat(games.getGame(gameId, id).getSession()).isEqualTo(id);
        }

        ConfigApi config = new ConfigApi(client);
        assertThat(config.listTrainers(null)).anySatisfy(t -> assertThat(t.getBuiltin()).isTrue());
        assertThat(config.getTemplate("quick-cpu", null).getName()).isEqualTo("quick-cpu");
        assertThat(config.listTemplates(null)).isNotEmpty();
        assertThat(config.getConfigSchema(null, null)).containsKey("properties");
        assertThat(config.getConfigDefaults(null, null)).containsKey("training");
        var invalid = config.validateConfig(Map.of("training", Map.of("learning_rate", -1)), null);
        assertThat(invalid.getValid()).isFalse();
        assertThat(invalid.getErrors()).anySatisfy(e -> assertThat(e.getField()).isEqualTo("training.learning_rate"));

        ResourcesApi resources = new ResourcesApi(client);
        assertThat(resources.getResources().getPools()).isNotEmpty();
        assertThat(resources.listAllocations("released", id, null, 10))
                .allSatisfy(a -> assertThat(a.getState()).isEqualTo(AllocationState.RELEASED)).isNotEmpty();
        assertThat(resources.estimateResources(new ObjectMapper().readValue(TINY, new TypeReference<Map<String, Object>>() { }))
                .getCpuMillis()).isPositive();

        SystemApi system = new SystemApi(client);
        assertThat(system.getServiceHealth()).hasSize(3).allSatisfy((name, health) -> assertThat(health.getStatus()).isEqualTo("UP"));
        assertThat(system.listSystemNodes()).isNotEmpty();
        assertThat(system.getSystemStatus().getNode()).isNotBlank();
        assertThat(system.getPerformance().getEndpoints()).isNotEmpty();

        AuthApi auth = new AuthApi(client);
        assertThat(auth.getCurrentIdentity().getRole()).isEqualTo(Role.ADMIN);
        CreatedToken viewer = auth.createToken(new NewToken().name("generated viewer").role(Role.VIEWER), null);
        assertThat(viewer.getToken()).startsWith("ksk_");
        assertThat(auth.listTokens()).anySatisfy(t -> assertThat(t.getId()).isEqualTo(viewer.getId()));
        assertThat(auth.listAuditEntries(null, 10)).isNotEmpty();
        auth.revokeToken(viewer.getId());

        // Operations without a success body (204) work too; errors decode into the document's Problem schema.
        ModelsApi models = new ModelsApi(client);
        models.deleteModel(models.listModels(id, null, 0, 20).getItems().get(0).getId());
        sessions.deleteSession(id);
        ApiException gone = catchThrowableOfType(ApiException.class, () -> sessions.getSession(id));
        assertThat(gone.getCode()).isEqualTo(404);
        Problem problem = client.getObjectMapper().readValue(gone.getResponseBody(), Problem.class);
        assertThat(problem.getStatus()).isEqualTo(404);
        assertThat(problem.getDetail()).contains(id);
    }

    /** A session names its pool; one the suite does not have is refused at start with a 400 that names it. */
    @Test
    @Order(3)
    void aSessionInAPoolThatDoesNotExistIsRefusedAtStartNamingIt() throws Exception {
        SessionsApi sessions = new SessionsApi(client);
        Session created = sessions.createSession(new CreateSessionRequest().name("generated client nowhere")
                .template("quick-cpu").pool("no-such-pool"), null);
        assertThat(created.getPool()).isEqualTo("no-such-pool");
        ApiException refused = catchThrowableOfType(ApiException.class, () -> sessions.startSession(created.getId(), null));
        assertThat(refused.getCode()).as(refused.getResponseBody()).isEqualTo(400);
        Problem problem = client.getObjectMapper().readValue(refused.getResponseBody(), Problem.class);
        assertThat(problem.getDetail()).contains("unknown pool 'no-such-pool'");
        assertThat(problem.getErrors()).anySatisfy(e -> assertThat(e.getField()).isEqualTo("pool"));
        assertThat(sessions.getSession(created.getId()).getState()).isEqualTo(SessionState.FAILED);
        sessions.deleteSession(created.getId());
    }

    private static void awaitState(SessionsApi sessions, String id, SessionState state) {
        await().atMost(STATE_CHANGE).pollInterval(Duration.ofMillis(500))
                .until(() -> sessions.getSessionStatus(id).getState(), state::equals);
    }

    private static String sha256(File file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file.toPath());
             OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
            in.transferTo(out);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
