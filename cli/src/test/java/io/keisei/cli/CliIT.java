package io.keisei.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.testsupport.PackagedSuite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code keisei} command as users run it ({@code ./keisei ...}, the packaged client jar) against the packaged
 * suite (four services, a real built-in trainer, the test PostgreSQL and Redis), through the gateway's public API
 * and hub only. The live commands run on a real pseudo-terminal ({@code script}), where they redraw in place.
 * One session goes through its whole life, so the tests run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {

    private static final Path WORK = KeiseiScript.ROOT.resolve("cli/target/it-cli");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A small network and short epochs: the trainer reports within seconds even on two busy cores. */
    private static final String[] SMALL = {"--set", "training.steps_per_epoch=256", "--set", "training.minibatch_size=64",
            "--set", "training.tower_width=16", "--set", "training.tower_depth=1", "--set", "evaluation.num_games=4",
            "--set", "training.total_timesteps=10000000"};

    private static PackagedSuite suite;
    private static KeiseiScript keisei;
    private static String sessionId;
    private static String trainerToken;
    private static String trainerTokenId;

    @BeforeAll
    static void startSuite() throws Exception {
        suite = PackagedSuite.start(WORK.resolve("suite-data"));
        deleteRecursively(WORK.resolve("home"));
        keisei = new KeiseiScript(WORK.resolve("home"));
    }

    @AfterAll
    static void stopSuite() {
        if (suite != null) {
            suite.close();
        }
    }

    @Test
    @Order(1)
    void loginChecksTheTokenAndStoresItForTheUserOnly() throws Exception {
        KeiseiScript.Result bad = keisei.runWithInput("ksk_not-a-real-token-at-all\n", "login", suite.gatewayUrl());
        assertThat(bad.code()).as(bad.toString()).isEqualTo(4);
        assertThat(bad.err()).contains("(401)");
        assertThat(keisei.configFile()).doesNotExist();

        KeiseiScript.Result ok = keisei.runWithInput(suite.adminToken() + "\n", "login", suite.gatewayUrl());
        assertThat(ok.code()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("Logged in to " + suite.gatewayUrl() + " as ").contains("(admin); saved in " + keisei.configFile());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keisei.configFile()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keisei.configFile().getParent()))).isEqualTo("rwx------");
        JsonNode stored = JSON.readTree(keisei.configFile().toFile());
        assertThat(stored.path("url").asText()).isEqualTo(suite.gatewayUrl());
        assertThat(stored.path("token").asText()).isEqualTo(suite.adminToken());

        KeiseiScript.Result whoami = keisei.run("whoami");
        assertThat(whoami.code()).as(whoami.toString()).isZero();
        assertThat(whoami.out()).contains("Gateway:", suite.gatewayUrl(), "Role:", "admin", "users.manage");
        assertThat(JSON.readTree(keisei.run("whoami", "-o", "json").out()).path("role").asText()).isEqualTo("admin");
    }

    @Test
    @Order(2)
    void theLoginPromptDoesNotEchoTheToken() throws Exception {
        Path transcript = WORK.resolve("login-prompt.txt");
        // The token is typed into the terminal once the prompt is there (as a person would); the terminal must not show it.
        Process p = keisei.onTerminal(KeiseiScript.quote("./keisei", "login", suite.gatewayUrl()), transcript, true);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(transcript).contains("API token for"));
        p.getOutputStream().write((suite.adminToken() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        p.getOutputStream().close();
        String shown = Files.readString(transcript);
        assertThat(p.exitValue()).as(shown).isZero();
        assertThat(shown).contains("API token for " + suite.gatewayUrl() + ":").contains("Logged in").doesNotContain(suite.adminToken());
    }

    @Test
    @Order(3)
    void tokensCreateAndList() throws Exception {
        KeiseiScript.Result created = keisei.run("tokens", "create", "tina", "--role", "trainer", "-o", "json");
        assertThat(created.code()).as(created.toString()).isZero();
        JsonNode t = JSON.readTree(created.out());
        trainerToken = t.path("token").asText();
        trainerTokenId = t.path("id").asText();
        assertThat(trainerToken).startsWith("ksk_");
        KeiseiScript.Result table = keisei.run("tokens", "create", "val", "--role", "viewer");
        assertThat(table.out()).contains("for val (viewer)", "shown this once", "ksk_");
        KeiseiScript.Result list = keisei.run("tokens", "list");
        assertThat(list.out()).startsWith("ID").contains("tina", "trainer", "val", "viewer").doesNotContain(trainerToken);
        assertThat(keisei.run("tokens", "create", "x", "--role", "emperor").code()).isEqualTo(2);
    }

    @Test
    @Order(4)
    void createFromATemplateWithSetValuesAndFieldErrorsForBadOnes() throws Exception {
        KeiseiScript.Result bad = keisei.run("sessions", "create", "bad run", "--template", "quick-cpu",
                "--set", "training.learning_rate=-1", "--set", "training.tower_width=wide");
        assertThat(bad.code()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.err().lines().filter(l -> l.startsWith("  ")))
                .anySatisfy(l -> assertThat(l).contains("training.learning_rate:"))
                .anySatisfy(l -> assertThat(l).contains("training.tower_width:"));
        KeiseiScript.Result malformed = keisei.run("sessions", "create", "bad run", "--set", "training.learning_rate");
        assertThat(malformed.code()).isEqualTo(2);
        assertThat(malformed.err()).contains("is not PATH=VALUE");

        String[] args = concat(new String[]{"sessions", "create", "cli run", "--template", "quick-cpu", "-o", "json",
                "--set", "training.learning_rate=7e-4"}, SMALL);
        KeiseiScript.Result ok = keisei.run(args);
        assertThat(ok.code()).as(ok.toString()).isZero();
        JsonNode session = JSON.readTree(ok.out());
        sessionId = session.path("id").asText();
        assertThat(session.path("state").asText()).isEqualTo("created");
        assertThat(session.path("template").asText()).isEqualTo("quick-cpu");

        JsonNode config = JSON.readTree(keisei.run("sessions", "config", sessionId, "-o", "json").out());
        assertThat(config.path("training").path("learning_rate").asDouble()).isEqualTo(7e-4);
        assertThat(config.path("training").path("tower_width").asInt()).isEqualTo(16);
        KeiseiScript.Result changed = keisei.run("sessions", "config", sessionId, "--set", "training.learning_rate=5e-4");
        assertThat(changed.code()).as(changed.toString()).isZero();
        assertThat(changed.out()).contains("training.learning_rate = 5.0E-4").contains("training.tower_width = 16");
    }

    @Test
    @Order(5)
    void startListWatchAndFollowThroughTheWholeLifecycle() throws Exception {
        KeiseiScript.Result started = keisei.run("sessions", "start", sessionId);
        assertThat(started.code()).as(started.toString()).isZero();
        assertThat(started.out()).contains("Session " + sessionId + " (cli run): ");

        KeiseiScript.Result list = keisei.run("sessions", "list");
        assertThat(list.out()).startsWith("ID").contains(sessionId, "cli run", "admin", "builtin");
        JsonNode page = JSON.readTree(keisei.run("sessions", "list", "-o", "json").out());
        assertThat(page.path("items").findValuesAsText("id")).contains(sessionId);
        // On a 60-column terminal the tables fit it: the id and state stay whole, the least useful columns go, long
        // cells are cut with an ellipsis.
        Path narrow = WORK.resolve("narrow.txt");
        Process listed = keisei.onTerminal("stty cols 60; ./keisei sessions list; ./keisei config templates", narrow, false);
        assertThat(listed.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String narrowTables = Files.readString(narrow).replace("\r", "");
        assertThat(narrowTables.lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(60));
        // The name cell is cut or not depending on how wide the state is at that moment (starting, running).
        assertThat(narrowTables).contains(sessionId, "quick-cpu", "…").containsPattern("cli r(un|…)").doesNotContain("UPDATED");

        Path watchOut = WORK.resolve("watch.txt");
        Process watch = keisei.onTerminal(KeiseiScript.quote("./keisei", "sessions", "watch", sessionId), watchOut, false);
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(Files.readString(watchOut)).as("the watch shows the trainer's steps").containsPattern("step [1-9][0-9,]* / 10,000,000"));

        assertThat(keisei.run("sessions", "checkpoint", sessionId).out()).contains("Checkpoint requested");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(JSON.readTree(keisei.run("models", "list", "--session", sessionId, "-o", "json").out()).path("total").asLong())
                        .isPositive());

        assertThat(keisei.run("sessions", "pause", sessionId).code()).isZero();
        awaitState("paused");
        KeiseiScript.Result again = keisei.run("sessions", "pause", sessionId);
        assertThat(again.code()).as("pausing a paused session: conflict").isEqualTo(5);
        assertThat(watch.isAlive()).as("a paused session is watched on").isTrue();
        assertThat(keisei.run("sessions", "resume", sessionId).code()).isZero();
        awaitState("running");

        Path logsOut = WORK.resolve("logs.txt");
        Process logs = keisei.onTerminal(KeiseiScript.quote("./keisei", "sessions", "logs", sessionId, "-f", "--tail", "5"), logsOut, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(logsOut).lines().count() >= 3);

        assertThat(keisei.run("sessions", "stop", sessionId).code()).isZero();
        assertThat(watch.waitFor(90, TimeUnit.SECONDS)).as("the watch ends when the session stops").isTrue();
        assertThat(watch.exitValue()).isZero();
        assertThat(logs.waitFor(30, TimeUnit.SECONDS)).as("logs -f ends when the session is no longer active").isTrue();
        assertThat(logs.exitValue()).isZero();

        String watched = Files.readString(watchOut);
        assertThat(watched).as("redrawn in place: up three lines, clear, rewrite").contains("\u001b[3F\u001b[2K");
        assertThat(watched).contains("Session " + sessionId + " \"cli run\"", "running", "steps/s", "ETA", "reward", "win rate")
                .containsPattern("\\[[#-]{10,}\\] +[0-9.]+%  step");
        String last = watched.substring(watched.lastIndexOf("\u001b[3F"));
        assertThat(last).as("the final block").contains("stopped");
        String followed = Files.readString(logsOut).replace("\r", "");
        assertThat(followed).as("the trainer's last line, printed while following").contains("stopped at step");
        assertThat(followed.lines().filter(l -> !l.isBlank()).distinct().count())
                .as("no line printed twice").isEqualTo(followed.lines().filter(l -> !l.isBlank()).count());
        assertThat(keisei.run("sessions", "logs", sessionId, "--tail", "3").out().lines().count()).isEqualTo(3);
    }

    @Test
    @Order(6)
    void modelsListAndADownloadCheckedAgainstTheApisSha256() throws Exception {
        KeiseiScript.Result list = keisei.run("models", "list", "--session", sessionId);
        assertThat(list.out()).startsWith("ID").contains(sessionId);
        JsonNode model = JSON.readTree(keisei.run("models", "list", "--session", sessionId, "-o", "json").out()).path("items").get(0);
        String id = model.path("id").asText();
        // A directory of this model's own: a file left by an earlier run must not be taken for this download.
        Path dir = Files.createDirectories(WORK.resolve("downloads").resolve(id));
        KeiseiScript.Result got = keisei.run("models", "download", id, "--out", dir.toString());
        assertThat(got.code()).as(got.toString()).isZero();
        assertThat(got.out()).contains("sha256 OK");
        Path file;
        try (var files = Files.list(dir)) {
            file = files.filter(p -> p.toString().endsWith(".kshogi")).findFirst().orElseThrow();
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        assertThat(sha).isEqualTo(model.path("sha256").asText());
        assertThat(keisei.run("models", "get", id).out()).contains("SHA-256:", sha);
    }

    @Test
    @Order(7)
    void exitCodesForNotFoundForbiddenAndConflict() throws Exception {
        KeiseiScript.Result missing = keisei.run("sessions", "get", "no-such-session");
        assertThat(missing.code()).isEqualTo(3);
        assertThat(missing.err()).startsWith("keisei: ").doesNotContain("Exception");
        KeiseiScript.Result notHers = keisei.run("--token", trainerToken, "sessions", "delete", sessionId);
        assertThat(notHers.code()).as(notHers.toString()).isEqualTo(4);
        assertThat(keisei.env("KEISEI_TOKEN", "ksk_wrong-token-for-sure-123").run("sessions", "list").code()).isEqualTo(4);
        keisei.env("KEISEI_TOKEN", null);
        assertThat(keisei.run("sessions", "resume", "no-such-session").code()).isEqualTo(3);
        KeiseiScript.Result conflict = keisei.run("sessions", "pause", sessionId);
        assertThat(conflict.code()).as(conflict.toString()).isEqualTo(5);
        KeiseiScript.Result unreachable = keisei.run("--url", "http://127.0.0.1:1", "sessions", "list");
        assertThat(unreachable.code()).isEqualTo(1);
        assertThat(unreachable.err().strip()).isEqualTo("keisei: cannot reach the gateway at http://127.0.0.1:1 (connection refused)");
    }

    @Test
    @Order(8)
    void metricsExportResourcesConfigAndCompletion() throws Exception {
        Path csv = WORK.resolve("metrics.csv");
        KeiseiScript.Result export = keisei.run("metrics", "export", sessionId, "--names", "ppo/policy_loss", "--out", csv.toString());
        assertThat(export.code()).as(export.toString()).isZero();
        assertThat(Files.readAllLines(csv)).hasSizeGreaterThan(1);
        assertThat(Files.readString(csv)).contains("ppo/policy_loss").doesNotContain("ppo/entropy");
        assertThat(keisei.run("metrics", "export", sessionId, "--format", "json").out()).contains("ppo/");

        KeiseiScript.Result resources = keisei.run("resources");
        assertThat(resources.code()).as(resources.toString()).isZero();
        assertThat(resources.out()).contains("POOL", "CPU USED/TOTAL", "NODE");
        assertThat(JSON.readTree(keisei.run("resources", "-o", "json").out()).has("pools")).isTrue();
        assertThat(keisei.run("resources", "-o", "yaml").out()).contains("pools:");

        assertThat(keisei.run("config", "trainers").out()).contains("builtin", "keisei-2025");
        assertThat(keisei.run("config", "templates").out()).contains("quick-cpu");
        assertThat(keisei.run("config", "schema").out()).contains("total_timesteps");
        KeiseiScript.Result invalid = keisei.run("config", "validate", "--set", "training.learning_rate=0");
        assertThat(invalid.code()).isEqualTo(2);
        assertThat(invalid.out()).contains("training.learning_rate");
        assertThat(keisei.run("config", "validate", "--set", "training.learning_rate=0.001").out()).isEqualTo("valid\n");

        KeiseiScript.Result bash = keisei.run("completion", "bash");
        assertThat(bash.out()).contains("complete -F _complete_keisei", "sessions");
        assertThat(keisei.run("completion", "zsh").out()).contains("bashcompinit");
        // The script's own commands are still its own.
        assertThat(keisei.run("help").out()).contains("up", "status", "down", "sessions");
    }

    @Test
    @Order(9)
    void revokedTokensAndLogout() throws Exception {
        assertThat(keisei.run("--token", trainerToken, "whoami").code()).isZero();
        assertThat(keisei.run("tokens", "revoke", trainerTokenId).out()).contains("Revoked token " + trainerTokenId);
        await().atMost(Duration.ofSeconds(10)).until(() -> keisei.run("--token", trainerToken, "whoami").code() == 4);
        assertThat(keisei.run("sessions", "delete", sessionId).out()).contains("Deleted session " + sessionId);
        assertThat(keisei.run("logout").out()).contains("Logged out");
        assertThat(JSON.readTree(keisei.configFile().toFile()).has("token")).isFalse();
        KeiseiScript.Result after = keisei.run("whoami");
        assertThat(after.code()).isEqualTo(4);
        assertThat(after.err()).contains("keisei login");
    }

    private static void awaitState(String state) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(JSON.readTree(keisei.run("sessions", "get", sessionId, "-o", "json").out()).path("state").asText()).isEqualTo(state));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
