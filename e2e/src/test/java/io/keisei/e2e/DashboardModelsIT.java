package io.keisei.e2e;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.BoundingBox;
import com.microsoft.playwright.options.ColorScheme;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The models page against a real session of the built-in trainer that evaluates before it checkpoints: every
 * checkpoint shows its eval win rate, the columns sort (order in the address, aria-sort), the best checkpoint is
 * marked, the details panel lists its rows without gaps, and a signed download link downloads the file in a
 * browser context that has no token while an altered one answers a 403 problem.
 */
@ExtendWith(E2e.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardModelsIT {

    private static final Pattern PERCENT = Pattern.compile("\\d+ %.*");
    private static E2e.Shared env;
    private static BrowserContext admin;
    private static Page page;
    private static final E2e.ConsoleErrors console = new E2e.ConsoleErrors();
    private static String sessionId;

    @BeforeAll
    static void aSessionWithEvaluatedCheckpoints() throws Exception {
        env = E2e.shared();
        PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
        // Evaluated at step 0 and every 512 steps (two epochs); checkpoints only when asked, and at the stop.
        HttpResponse<String> created = env.suite.api("POST", "/sessions", "{\"name\":\"e2e models\",\"template\":\"quick-cpu\","
                + "\"config\":{\"env\":{\"max_moves_per_game\":80},"
                + "\"training\":{\"steps_per_epoch\":256,\"minibatch_size\":64,\"tower_width\":16,\"tower_depth\":1,"
                + "\"checkpoint_interval_timesteps\":1000000,\"evaluation_interval_timesteps\":512},"
                + "\"evaluation\":{\"num_games\":4,\"max_moves_per_game\":60}}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        sessionId = json(created.body()).get("id").getAsString();
        HttpResponse<String> started = env.suite.api("POST", "/sessions/" + sessionId + "/start", null);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        for (int i = 1; i <= 2; i++) {
            long from = step();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> step() >= from + 512);
            HttpResponse<String> asked = env.suite.api("POST", "/sessions/" + sessionId + "/checkpoint", null);
            assertThat(asked.statusCode()).as(asked.body()).isEqualTo(202);
            int n = i;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> models().size() >= n);
        }
        // Past the last checkpoint's step, so that the stop writes a third one of its own.
        long lastSaved = models().stream().mapToLong(m -> m.get("step").getAsLong()).max().orElseThrow();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> step() > lastSaved + 256);
        assertThat(env.suite.api("POST", "/sessions/" + sessionId + "/stop", null).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                state().equals("stopped"));
        await().atMost(Duration.ofSeconds(30)).until(() -> models().size() >= 3);

        admin = env.context(ColorScheme.LIGHT);
        admin.setDefaultTimeout(30_000);
        admin.addInitScript("localStorage.setItem('keisei.token', '" + env.suite.adminToken + "')");
        admin.grantPermissions(List.of("clipboard-read", "clipboard-write"));
        page = admin.newPage();
        console.watch(page);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (sessionId != null) {
            env.suite.api("POST", "/sessions/" + sessionId + "/stop", null);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> !state().matches("running|stopping|starting|pausing"));
            env.suite.api("DELETE", "/sessions/" + sessionId, null);
        }
    }

    @Test
    @Order(1)
    void everyCheckpointShowsItsEvalWinRate() throws Exception {
        page.navigate("/models?session=" + sessionId);
        Locator rows = rows();
        assertThat(rows).hasCount(models().size());
        assertThat(rows.locator("td[data-col=eval]")).hasCount(models().size());
        for (String cell : rows.locator("td[data-col=eval]").allTextContents()) {
            assertThat(cell.strip()).as("eval win rate cell").matches(PERCENT);
        }
        // The registry's metadata has it too, with the step it was measured at.
        for (JsonObject m : models()) {
            JsonObject metrics = m.getAsJsonObject("metrics");
            assertThat(metrics.has("eval/win_rate_vs_random")).as(m.toString()).isTrue();
            assertThat(metrics.get("eval/step").getAsLong()).as(m.toString()).isBetween(0L, m.get("step").getAsLong());
        }
        DashboardIT.shot(page, "models-evaluated");
    }

    @Test
    @Order(2)
    void columnsSortBothWaysAndTheOrderIsKeptInTheAddress() {
        Locator stepHead = page.locator("th[data-col=step]");
        Locator evalHead = page.locator("th[data-col=eval]");
        assertThat(stepHead).hasAttribute("aria-sort", "descending");
        assertThat(steps()).isSortedAccordingTo(Comparator.reverseOrder());

        evalHead.locator("button.sort").click();
        page.waitForURL(Pattern.compile(".*[?&]sort=eval&dir=desc.*"));
        assertThat(evalHead).hasAttribute("aria-sort", "descending");
        assertThat(stepHead).not().hasAttribute("aria-sort", Pattern.compile(".*"));
        assertThat(evals()).isSortedAccordingTo(Comparator.reverseOrder());

        evalHead.locator("button.sort").click();
        page.waitForURL(Pattern.compile(".*[?&]sort=eval&dir=asc.*"));
        assertThat(evalHead).hasAttribute("aria-sort", "ascending");
        assertThat(evals()).isSorted();

        Locator rewardHead = page.locator("th[data-col=reward]");
        rewardHead.locator("button.sort").click();
        page.waitForURL(Pattern.compile(".*[?&]sort=reward&dir=desc.*"));
        assertThat(rewardHead).hasAttribute("aria-sort", "descending");
        assertThat(numbers(rows().locator("td[data-col=reward]").evaluateAll("(cs) => cs.map((c) => parseFloat(c.textContent))"))
                .stream().map(Number::doubleValue).toList()).isSortedAccordingTo(Comparator.reverseOrder());

        stepHead.locator("button.sort").click();
        assertThat(stepHead).hasAttribute("aria-sort", "descending");
        stepHead.locator("button.sort").click();
        page.waitForURL(Pattern.compile(".*[?&]sort=step&dir=asc.*"));
        assertThat(stepHead).hasAttribute("aria-sort", "ascending");
        List<Long> ascending = steps();
        assertThat(ascending).isSorted().doesNotHaveDuplicates();

        // A reload (or a shared address) shows the same order.
        page.reload();
        assertThat(rows()).hasCount(ascending.size());
        assertThat(page.locator("th[data-col=step]")).hasAttribute("aria-sort", "ascending");
        assertThat(steps()).isEqualTo(ascending);
        assertThat(page.url()).contains("session=" + sessionId);
    }

    @Test
    @Order(3)
    void theBestCheckpointOfTheSessionIsMarked() throws Exception {
        // The highest eval win rate; on a tie the later step.
        JsonObject best = null;
        for (JsonObject m : models()) {
            double v = evalOf(m);
            if (best == null || v > evalOf(best) || (v == evalOf(best) && m.get("step").getAsLong() > best.get("step").getAsLong())) {
                best = m;
            }
        }
        assertThat(page.locator("[data-testid=models] [data-testid=best]")).hasCount(1);
        assertThat(page.locator("tr[data-best]")).hasAttribute("data-model", best.get("id").getAsString());
        assertThat(page.locator("tr[data-best] [data-testid=best]")).hasText("best");
        assertThat(page.locator("tr[data-best] [data-testid=best]")).isVisible();

        // The page's own ranking, with values a short run does not produce: per session, unevaluated ones last.
        Object ranked = page.evaluate("() => import('/app/pages/models.js').then(({sortModels, bestModels}) => {"
                + " const m = (id, session, step, win) => ({id, session, step, metrics: win == null ? {} : {'eval/win_rate_vs_random': win}});"
                + " const all = [m('a1', 'a', 100, 0.5), m('a2', 'a', 200, null), m('a3', 'a', 300, 0.75), m('a4', 'a', 400, 0.75),"
                + "   m('b1', 'b', 100, 0.25), m('c1', 'c', 100, null)];"
                + " return [sortModels(all, 'eval', 'desc').map((x) => x.id).join(','), sortModels(all, 'eval', 'asc').map((x) => x.id).join(','),"
                + "   [...bestModels(all)].sort().join(',')].join(' | '); })");
        assertThat(ranked).isEqualTo("a4,a3,a1,b1,a2,c1 | b1,a1,a4,a3,a2,c1 | a4,b1");
    }

    @Test
    @Order(4)
    void theDetailsPanelListsItsRowsWithoutGaps() {
        rows().first().getByText("Details").click();
        Locator details = page.locator("[data-testid=model-details]");
        assertThat(details).isVisible();
        assertThat(details.locator("[data-testid=model-eval]")).containsText("Win rate vs random");
        assertThat(details.locator("[data-testid=model-eval]")).containsText("Evaluated at step");
        details.scrollIntoViewIfNeeded();
        DashboardIT.shot(page, "models-details");
        for (Locator dl : details.locator("dl.kv").all()) {
            List<Locator> dts = dl.locator("dt").all();
            assertThat(dts.size()).isGreaterThan(2);
            double lineHeight = ((Number) dts.get(0).evaluate("(e) => parseFloat(getComputedStyle(e).lineHeight) "
                    + "|| parseFloat(getComputedStyle(e).fontSize) * 1.2")).doubleValue();
            for (int i = 1; i < dts.size(); i++) {
                BoundingBox a = dts.get(i - 1).boundingBox();
                BoundingBox b = dts.get(i).boundingBox();
                // Consecutive rows: at most a wrapped value apart (the SHA-256 may take two lines), never a stretched row.
                assertThat(b.y - a.y).as("gap between '%s' and '%s'", dts.get(i - 1).textContent(), dts.get(i).textContent())
                        .isLessThan(3 * lineHeight);
            }
        }
    }

    @Test
    @Order(5)
    void theDownloadButtonUsesASignedLinkThatWorksWithoutATokenWhileAnAlteredOneIsRefused() throws Exception {
        Locator first = rows().first();
        String model = first.getAttribute("data-model");
        String sha = json(env.suite.api("GET", "/models/" + model, null).body()).get("sha256").getAsString();

        Download download = page.waitForDownload(() -> first.locator("button[data-action=download]").click());
        assertThat(download.url()).contains("/api/v1/models/" + model + "/download?").contains("signature=");
        assertThat(download.suggestedFilename()).endsWith(".kshogi");
        Path saved = KeiseiSuite.OUTPUT.resolve("model-download.kshogi");
        download.saveAs(saved);
        assertThat(sha256(Files.readAllBytes(saved))).isEqualTo(sha);

        first.locator("button[data-action=copy-link]").click();
        Locator link = page.locator("a[data-testid=download-link]");
        assertThat(link).isVisible();
        assertThat(page.locator("[data-testid=copied]")).containsText("Copied");
        String url = link.getAttribute("href");
        assertThat(url).startsWith(env.suite.baseUrl + "/api/v1/models/" + model + "/download?expires=");
        assertThat(page.evaluate("() => navigator.clipboard.readText()")).isEqualTo(url);

        // A fresh browser context: no token anywhere, yet the link downloads the file.
        try (BrowserContext stranger = env.context(ColorScheme.DARK)) {
            APIResponse file = stranger.request().get(url);
            assertThat(file.status()).as(file.text()).isEqualTo(200);
            assertThat(file.headers().get("content-disposition")).contains("attachment");
            assertThat(sha256(file.body())).isEqualTo(sha);

            Page tab = stranger.newPage();
            Download opened = tab.waitForDownload(() -> tab.evaluate("(u) => { const a = document.createElement('a'); a.href = u;"
                    + " document.body.append(a); a.click(); }", url));
            assertThat(opened.failure()).isNull();

            String signature = URI.create(url).getRawQuery().replaceAll(".*signature=([^&]+).*", "$1");
            String altered = url.replace("signature=" + signature, "signature=" + (signature.startsWith("A") ? "B" : "A")
                    + signature.substring(1));
            APIResponse refused = stranger.request().get(altered);
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.headers().get("content-type")).startsWith("application/problem+json");
            JsonObject problem = json(refused.text());
            assertThat(problem.get("status").getAsInt()).isEqualTo(403);
            assertThat(problem.get("detail").getAsString()).contains("not valid");
            assertThat(stranger.request().get(url.replaceAll("\\?.*", "")).status()).isEqualTo(401);
        }
    }

    @Test
    @Order(6)
    void noPageLoggedAConsoleError() {
        assertThat(console.errors).isEmpty();
    }

    private static Locator rows() {
        return page.locator("[data-testid=models] tbody tr");
    }

    private static List<Long> steps() {
        return numbers(rows().evaluateAll("(rs) => rs.map((r) => Number(r.dataset.step))")).stream().map(Number::longValue).toList();
    }

    private static List<Double> evals() {
        return numbers(rows().locator("td[data-col=eval]").evaluateAll(
                "(cs) => cs.map((c) => parseFloat(c.textContent))")).stream().map(Number::doubleValue).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Number> numbers(Object evaluated) {
        return new ArrayList<>((List<Number>) evaluated);
    }

    private static JsonObject json(String body) {
        return JsonParser.parseString(body).getAsJsonObject();
    }

    private static String state() throws Exception {
        return json(env.suite.api("GET", "/sessions/" + sessionId, null).body()).get("state").getAsString();
    }

    private static long step() throws Exception {
        JsonElement step = json(env.suite.api("GET", "/sessions/" + sessionId + "/status", null).body()).get("step");
        return step == null || step.isJsonNull() ? 0 : step.getAsLong();
    }

    private static List<JsonObject> models() throws Exception {
        JsonObject page = json(env.suite.api("GET", "/models?session=" + sessionId + "&size=200", null).body());
        List<JsonObject> items = new ArrayList<>();
        page.getAsJsonArray("items").forEach(e -> items.add(e.getAsJsonObject()));
        return items;
    }

    private static double evalOf(JsonObject model) {
        return model.getAsJsonObject("metrics").get("eval/win_rate_vs_random").getAsDouble();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
