package io.keisei.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The client's behaviour that needs no real suite: parsing, exit codes, error lines, output formats, downloads. */
class CommandLineTest {

    @TempDir
    Path home;
    private FakeGateway gateway;
    private Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        gateway = new FakeGateway();
        env = new HashMap<>(Map.of("HOME", home.toString(), "KEISEI_URL", gateway.url(), "KEISEI_TOKEN", "ksk_test"));
    }

    @AfterEach
    void tearDown() {
        gateway.close();
    }

    private Run run(String... args) {
        return Run.of(env, "", args);
    }

    @Test
    void helpEverywhereAndUsageErrorsAreTwo() {
        Run help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("sessions", "models", "tokens", "completion", "Exit codes: 0 ok");
        assertThat(run("sessions", "create", "--help").out()).contains("--set=PATH=VALUE", "--template", "Exit codes");
        Run unknown = run("sesions", "list");
        assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("Unmatched argument", "Did you mean", "sessions", "Try 'keisei --help'");
        Run missing = run("sessions", "create");
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("Missing required parameter: 'NAME'", "Try 'keisei sessions create --help'");
        Run badSet = run("sessions", "create", "x", "--set", "training.learning_rate");
        assertThat(badSet.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(badSet.err()).contains("is not PATH=VALUE");
        assertThat(gateway.requests).as("nothing is sent for a wrong command line").isEmpty();
        assertThat(run("sessions").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("--version").out()).startsWith("keisei ");
    }

    @Test
    void httpErrorsMapToExitCodesWithOneLineEachAndNoStackTrace() {
        gateway.json("GET /api/v1/sessions/nope", 404, "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"no session 'nope'\"}")
                .json("POST /api/v1/sessions/s1/stop", 403, "{\"title\":\"Forbidden\",\"status\":403,\"detail\":\"you do not own session 's1'\"}")
                .json("POST /api/v1/sessions/s1/pause", 409, "{\"title\":\"Conflict\",\"status\":409,\"detail\":\"session 's1' is stopped\",\"state\":\"stopped\"}")
                .json("GET /api/v1/auth/me", 401, "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"unknown token\"}")
                .json("GET /api/v1/resources", 503, "{\"title\":\"Service unavailable\",\"status\":503,\"detail\":\"resource-service is unavailable\"}");
        Run notFound = run("sessions", "get", "nope");
        assertThat(notFound.code()).isEqualTo(3);
        assertThat(notFound.err()).isEqualTo("keisei: no session 'nope' (404 GET /sessions/nope)\n");
        assertThat(run("sessions", "stop", "s1").code()).isEqualTo(4);
        Run conflict = run("sessions", "pause", "s1");
        assertThat(conflict.code()).isEqualTo(5);
        assertThat(conflict.err()).contains("is stopped (409)");
        Run unauthorized = run("whoami");
        assertThat(unauthorized.code()).isEqualTo(4);
        assertThat(unauthorized.err()).contains("unknown token (401): log in again");
        Run down = run("resources");
        assertThat(down.code()).isEqualTo(1);
        assertThat(down.err()).contains("resource-service is unavailable (503").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(gateway.requests).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer ksk_test"));
    }

    @Test
    void resourcesShowsAClusterNodeWithItsPoolAndGpusByCountAndAHostWithEachGpu() {
        gateway.json("GET /api/v1/resources", 200, "{\"pools\":[]}")
                .json("GET /api/v1/resources/allocations", 200, "[]")
                .json("GET /api/v1/system/nodes", 200, "[{\"v\":1,\"node\":\"gpu-h100-2\",\"time\":1,\"cpuPercent\":37.5,"
                        + "\"memoryUsedMb\":65536,\"memoryTotalMb\":524288,\"gpus\":["
                        + "{\"index\":0,\"name\":\"NVIDIA-H100\"},{\"index\":1,\"name\":\"NVIDIA-H100\"}],"
                        + "\"pool\":\"h100\",\"usageSource\":\"requests\",\"gpusRequested\":1},"
                        + "{\"v\":1,\"node\":\"laptop\",\"time\":1,\"cpuPercent\":20,\"memoryUsedMb\":1024,\"memoryTotalMb\":2048,"
                        + "\"gpus\":[{\"index\":0,\"name\":\"RTX\",\"utilizationPercent\":40}]}]");
        Run r = run("resources");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("gpu-h100-2 (h100)", "38% (requested)", "1/2 requested NVIDIA-H100")
                .contains("laptop", "0: RTX 40%").doesNotContain("0: NVIDIA-H100");
    }

    @Test
    void fieldErrorsArePrintedOnePerLine() {
        gateway.json("POST /api/v1/sessions", 400, "{\"title\":\"Invalid request\",\"status\":400,\"detail\":\"invalid config: 2 errors\","
                + "\"errors\":[{\"field\":\"config.training.learning_rate\",\"message\":\"must be > 0\"},"
                + "{\"field\":\"config.training.tower_width\",\"message\":\"must be an integer\"}]}");
        Run r = run("sessions", "create", "x", "--template", "quick-cpu", "--set", "training.learning_rate=-1", "--set", "training.tower_width=wide");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err().lines()).containsExactly("keisei: invalid config: 2 errors (400)",
                "  config.training.learning_rate: must be > 0", "  config.training.tower_width: must be an integer");
        assertThat(gateway.requests.get(0).body()).isEqualTo("{\"name\":\"x\",\"template\":\"quick-cpu\","
                + "\"config\":{\"training\":{\"learning_rate\":-1,\"tower_width\":\"wide\"}}}");
    }

    @Test
    void everyPostCarriesItsOwnIdempotencyKey() {
        gateway.json("POST /api/v1/sessions", 201, "{\"id\":\"s1\",\"name\":\"x\",\"state\":\"created\"}")
                .json("POST /api/v1/sessions/s1/start", 200, "{\"id\":\"s1\",\"name\":\"x\",\"state\":\"queued\"}")
                .json("GET /api/v1/auth/me", 200, "{\"tokenId\":\"t\",\"name\":\"n\",\"owner\":\"n\",\"role\":\"viewer\"}");
        assertThat(run("sessions", "create", "x", "--start").code()).isZero();
        run("whoami");
        List<FakeGateway.Request> posts = gateway.requests.stream().filter(r -> r.method().equals("POST")).toList();
        assertThat(posts).hasSize(2).allSatisfy(r -> assertThat(r.idempotencyKey()).matches("[0-9a-f-]{36}"));
        assertThat(posts.get(0).idempotencyKey()).isNotEqualTo(posts.get(1).idempotencyKey());
        assertThat(gateway.requests).filteredOn(r -> r.method().equals("GET")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.idempotencyKey()).isNull());
    }

    @Test
    void noTokenIsForbiddenAndAnUnreachableGatewayIsOneLine() {
        env.remove("KEISEI_TOKEN");
        Run noToken = run("sessions", "list");
        assertThat(noToken.code()).isEqualTo(4);
        assertThat(noToken.err()).contains("no API token: run 'keisei login");
        Run unreachable = Run.of(Map.of("HOME", home.toString(), "KEISEI_TOKEN", "t"), "", "--url", "http://127.0.0.1:1", "sessions", "list");
        assertThat(unreachable.code()).isEqualTo(1);
        assertThat(unreachable.err()).isEqualTo("keisei: cannot reach the gateway at http://127.0.0.1:1 (connection refused)\n");
        Run debug = Run.of(Map.of("HOME", home.toString(), "KEISEI_TOKEN", "t"), "", "--url", "http://127.0.0.1:1", "sessions", "list", "--debug");
        assertThat(debug.err()).contains("\tat ");
    }

    @Test
    void aRedirectIsNotFollowedButExplained() {
        gateway.redirect("GET /api/v1/auth/me", "https://keisei.example.org/api/v1/auth/me");
        Run r = run("whoami");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("keisei: " + gateway.url() + " redirects to https://keisei.example.org/api/v1/auth/me (HTTP 301): "
                + "give the gateway's own URL (--url, KEISEI_URL or keisei login)\n");
    }

    @Test
    void globalOptionsGoBeforeOrAfterTheCommand() {
        gateway.json("GET /api/v1/sessions?page=0&size=20", 200, "{\"items\":[{\"id\":\"s1\",\"name\":\"run\",\"state\":\"running\","
                + "\"currentStep\":4096,\"owner\":\"admin\",\"trainer\":\"builtin\",\"priority\":0}],\"page\":0,\"size\":20,\"total\":1}");
        assertThat(run("-o", "json", "sessions", "list").out()).contains("\"items\"");
        assertThat(run("sessions", "list", "-o", "json").out()).contains("\"items\"");
        assertThat(run("sessions", "-o", "yaml", "list").out()).contains("items:", "- id: s1");
        Run table = run("sessions", "list");
        assertThat(table.out()).startsWith("ID  NAME  STATE    STEP   OWNER  TRAINER  PRIORITY  UPDATED\ns1  run   running  4,096  admin  builtin  0");
        env.put("KEISEI_URL", "http://127.0.0.1:1");
        assertThat(run("--url", gateway.url(), "sessions", "list").code()).as("--url beats KEISEI_URL").isZero();
    }

    @Test
    void downloadsKeepOnlyFilesWithTheSha256TheApiReports(@TempDir Path dir) throws Exception {
        byte[] body = "checkpoint bytes".getBytes(StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        gateway.json("GET /api/v1/models/m1", 200, "{\"id\":\"m1\",\"session\":\"s1\",\"step\":8,\"sizeBytes\":16,\"sha256\":\"" + sha + "\"}")
                .bytes("GET /api/v1/models/m1/download", body, Map.of("Content-Disposition", "attachment; filename=\"s1-step8.kshogi\""))
                .json("GET /api/v1/models/m2", 200, "{\"id\":\"m2\",\"session\":\"s1\",\"step\":9,\"sizeBytes\":16,\"sha256\":\"" + "0".repeat(64) + "\"}")
                .bytes("GET /api/v1/models/m2/download", body, Map.of("Content-Disposition", "attachment; filename=\"../../evil.kshogi\""));
        Run ok = run("models", "download", "m1", "--out", dir.toString());
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("sha256 OK");
        assertThat(Files.readAllBytes(dir.resolve("s1-step8.kshogi"))).isEqualTo(body);

        Run bad = run("models", "download", "m2", "--out", dir.toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("sha256 mismatch", "the file was removed");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("s1-step8.kshogi");
        }
    }

    @Test
    void completionScriptsForBashAndZsh() {
        Run bash = run("completion", "bash");
        assertThat(bash.code()).isZero();
        assertThat(bash.out()).contains("complete -F _complete_keisei", "sessions", "watch");
        Run zsh = run("completion", "zsh");
        assertThat(zsh.out()).startsWith("# keisei completion for zsh").contains("ZSH_VERSION", "bashcompinit", "complete -F _complete_keisei");
        assertThat(run("completion", "fish").code()).isEqualTo(ExitCodes.USAGE);
    }
}
