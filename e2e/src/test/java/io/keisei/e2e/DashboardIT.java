package io.keisei.e2e;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ColorScheme;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in headless Chromium against the running suite with a real built-in trainer: sign in,
 * create a session from a template (with inline validation), start it, watch the charts grow and the
 * board move, pause and resume, take a checkpoint, stop; a viewer sees no controls. Every page is
 * photographed under {@code e2e/target/screenshots} and no page logs a console error.
 */
@ExtendWith(E2e.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

    private static E2e.Shared env;
    private static BrowserContext admin;
    private static Page page;
    private static final E2e.ConsoleErrors console = new E2e.ConsoleErrors();
    private static String sessionId;

    @BeforeAll
    static void openBrowser() {
        env = E2e.shared();
        PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
        admin = env.context(ColorScheme.LIGHT);
        admin.setDefaultTimeout(30_000);
        page = admin.newPage();
        console.watch(page);
    }

    @AfterAll
    static void closeBrowser() {
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    @Order(1)
    void signInWithTheAdminToken() {
        page.navigate("/");
        page.waitForURL(Pattern.compile(".*/signin.*"));
        shot(page, "signin");
        page.locator("#token").fill("not-a-token-at-all-0123456789");
        page.locator("button[type=submit]").click();
        assertThat(page.locator("#token-e")).containsText("not valid");
        console.errors.clear();   // the browser logs the deliberate 401 as a failed resource load
        page.locator("#token").fill(env.suite.adminToken);
        page.locator("button[type=submit]").click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Training sessions"))).isVisible();
        assertThat(page.locator(".badge.role")).hasText("admin");
        assertThat(page.locator(".conn")).hasAttribute("data-state", "open");
    }

    @Test
    @Order(2)
    void createASessionFromATemplateWithInlineValidation() {
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New session").setExact(true)).first().click();
        page.waitForURL(Pattern.compile(".*/new$"));
        page.locator("input[name=template][value=quick-cpu]").check();
        page.locator("#f-name").fill("e2e run");
        // Bounds are checked at once, in the browser.
        page.locator("#f-training-learning_rate").fill("0");
        assertThat(page.locator("[data-field='training.learning_rate']")).containsText("greater than 0");
        assertThat(page.locator("button[type=submit]")).isDisabled();
        page.locator("#f-training-learning_rate").fill("0.0005");
        assertThat(page.locator("[data-field='training.learning_rate']")).isEmpty();
        // Cross-field rules come from the validate endpoint.
        page.locator("#f-training-steps_per_epoch").fill("256");
        page.locator("#f-training-minibatch_size").fill("512");
        assertThat(page.locator("[data-field='training.minibatch_size']")).containsText("steps_per_epoch");
        page.locator("#f-training-minibatch_size").fill("64");
        assertThat(page.locator("[data-field='training.minibatch_size']")).isEmpty();
        page.locator("#f-training-tower_width").fill("16");
        page.locator("#f-training-tower_depth").fill("1");
        page.locator("#f-training-checkpoint_interval_timesteps").fill("1000000");
        page.locator("#f-training-evaluation_interval_timesteps").fill("4096");
        page.locator("#f-evaluation-num_games").fill("4");
        assertThat(page.locator("[data-testid=diff]")).containsText("training.tower_width");
        assertThat(page.locator("[data-testid=diff]")).containsText("evaluation.num_games");
        assertThat(page.getByText("config is valid")).isVisible();
        shot(page, "new-session");
        page.locator("button[type=submit]").click();
        page.waitForURL(Pattern.compile(".*/sessions/[^/]+$"));
        Matcher m = Pattern.compile("/sessions/([^/?]+)").matcher(page.url());
        assertThat(m.find()).isTrue();
        sessionId = m.group(1);
        assertThat(page.locator("h1")).hasText("e2e run");
        assertThat(state()).hasText("created");
    }

    /** A keisei-train session: its template picks the registered trainer, and the form shows keisei-train's own tables. */
    @Test
    @Order(2)
    void aKeiseiTrainSessionIsConfiguredInItsOwnTables() throws Exception {
        page.navigate("/new?template=keisei-2026");
        assertThat(page.locator("[data-testid=trainer]")).containsText("keiseitrain");
        // Nested TOML tables are sections of their own; Keisei 2025's sections are gone.
        assertThat(page.locator("#f-model\\.params-num_blocks")).hasValue("40");
        assertThat(page.locator("#f-training-num_games")).hasValue("128");
        assertThat(page.locator("#f-env-device")).hasCount(0);
        page.locator("#f-training-num_games").fill("600");
        assertThat(page.locator("[data-field='training.num_games']")).containsText("at most 512");
        page.locator("#f-training-num_games").fill("64");
        page.locator("#f-training\\.algorithm_params-learning_rate").fill("0.0001");
        assertThat(page.locator("[data-testid=diff]")).containsText("training.algorithm_params.learning_rate");
        assertThat(page.getByText("config is valid")).isVisible();
        page.locator("#f-name").fill("keisei-train run");
        shot(page, "new-session-keisei-2026");
        page.locator("button[type=submit]").click();
        page.waitForURL(Pattern.compile(".*/sessions/[^/]+$"));
        Matcher m = Pattern.compile("/sessions/([^/?]+)").matcher(page.url());
        assertThat(m.find()).isTrue();
        String created = env.suite.api("GET", "/sessions/" + m.group(1), null).body();
        assertThat(created).contains("\"trainer\":\"keiseitrain\"").contains("\"num_games\":64")
                .containsPattern("\"learning_rate\":(1\\.0E-4|0\\.0001)");
        // Off its page before it goes: the page's own reads of a deleted session would be 404s in the console.
        assertThat(page.locator("h1")).hasText("keisei-train run");
        page.navigate("/new");
        assertThat(page.locator("input[name=template][value=quick-cpu]")).isVisible();
        env.suite.api("DELETE", "/sessions/" + m.group(1), null);
    }

    @Test
    @Order(3)
    void startItAndWatchTheChartsGrowAndTheBoardMove() {
        page.locator("button[data-action=start]").click();
        assertThat(state()).hasText("running", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(120_000));
        Locator chart = page.locator("metric-chart[data-metric-names='ppo/policy_loss']");
        int first = awaitPoints(chart, 1, Duration.ofSeconds(90));
        awaitPoints(chart, first + 2, Duration.ofSeconds(90));
        Locator board = page.locator("shogi-board");
        assertThat(board).isVisible(new com.microsoft.playwright.assertions.LocatorAssertions.IsVisibleOptions().setTimeout(60_000));
        String ply = board.getAttribute("data-ply");
        await().atMost(Duration.ofSeconds(60)).until(() -> !String.valueOf(board.getAttribute("data-ply")).equals(ply));
        assertThat(page.locator("shogi-board .piece").first()).isVisible();
        assertThat(page.locator(".moves li").first()).isVisible();
        screenshotsOfTheOtherPagesWhileItRuns();
    }

    @Test
    @Order(4)
    void zoomFetchesFinerHistoryAndTheHubReconnectsByItself() {
        Locator chart = page.locator("metric-chart[data-metric-names='ppo/entropy']");
        awaitPoints(chart, 4, Duration.ofSeconds(90));
        var box = chart.locator(".u-over").boundingBox();
        page.mouse().move(box.x + box.width * 0.2, box.y + box.height / 2);
        page.mouse().down();
        page.mouse().move(box.x + box.width * 0.6, box.y + box.height / 2, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(5));
        page.mouse().up();
        assertThat(chart.locator(".res")).containsText("zoomed");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Zoom out"))).isEnabled();
        chart.locator(".u-over").dblclick();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Zoom out"))).isDisabled();

        // Drop the WebSocket: the page reconnects by itself, resumes from its cursor and keeps growing.
        Object cursors = page.evaluate("() => import('/app/live.js').then((m) => { const n = m.live.cursors.size; m.live.ws.close(); return n; })");
        assertThat(((Number) cursors).intValue()).isPositive();
        assertThat(page.locator(".conn")).hasAttribute("data-state", "open");
        Locator loss = page.locator("metric-chart[data-metric-names='ppo/policy_loss']");
        long last = lastStep(loss);
        await().atMost(Duration.ofSeconds(60)).until(() -> lastStep(loss) > last);
    }

    private void screenshotsOfTheOtherPagesWhileItRuns() {
        Page other = admin.newPage();
        console.watch(other);
        other.navigate("/");
        assertThat(other.locator("tr[data-session='" + sessionId + "'] .badge")).hasText("running");
        assertThat(other.locator("system-meters .meter").first()).isVisible();
        other.waitForTimeout(1500);
        shot(other, "overview");
        other.navigate("/compare?sessions=" + sessionId + "&metric=ppo/entropy");
        await().atMost(Duration.ofSeconds(30)).until(() -> points(other.locator("metric-chart")) > 0);
        shot(other, "compare");
        other.navigate("/resources");
        assertThat(other.locator("[data-testid=pools] tbody tr").first()).isVisible();
        assertThat(other.locator("[data-testid=allocations]")).containsText("e2e run");
        await().atMost(Duration.ofSeconds(30)).until(() -> points(other.locator("metric-chart[data-kind=cpu]")) >= 3);
        shot(other, "resources");
        other.close();
    }

    @Test
    @Order(5)
    void pauseAndResume() {
        page.locator("button[data-action=pause]").click();
        assertThat(state()).hasText("paused", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(120_000));
        assertThat(page.locator("[data-testid=checkpoints] tbody tr").first()).isVisible();
        page.locator("button[data-action=resume]").click();
        assertThat(state()).hasText("running", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(120_000));
        assertThat(page.locator("[data-testid=session-meta]")).containsText("attempt 2");
        // The session page at its busiest: history of two attempts with the marker, the live game, the controls.
        Locator loss = page.locator("metric-chart[data-metric-names='ppo/policy_loss']");
        long resumed = lastStep(loss);
        await().atMost(Duration.ofSeconds(60)).until(() -> lastStep(loss) > resumed);
        // The resumed attempt is marked on the charts at once, without a reload.
        await().atMost(Duration.ofSeconds(30)).until(() -> String.valueOf(loss.getAttribute("data-markers")).contains("attempt 2"));
        assertThat(page.locator("shogi-board .piece").first()).isVisible();
        page.waitForTimeout(1500);
        shot(page, "session");
    }

    @Test
    @Order(6)
    void takeACheckpointThenStop() {
        Locator newest = page.locator("[data-testid=checkpoints] tbody tr").first();
        String before = newest.getAttribute("data-model");
        // The resumed attempt must have trained past its checkpoint's step before a new checkpoint differs.
        Locator chart = page.locator("metric-chart[data-metric-names='ppo/policy_loss']");
        long resumedAt = lastStep(chart);
        await().atMost(Duration.ofSeconds(90)).until(() -> lastStep(chart) > resumedAt);
        page.locator("button[data-action=checkpoint]").click();
        await().atMost(Duration.ofSeconds(60)).until(() -> !String.valueOf(newest.getAttribute("data-model")).equals(before));
        assertThat(page.getByText("Checkpoint saved at step").last()).isVisible();   // a toast per checkpoint, newest last
        page.locator("button[data-action=stop]").click();
        // Stop asks first, in the page; the trainer checkpoints before it exits.
        assertThat(page.locator("dialog[open]")).containsText("saves a checkpoint first");
        page.locator("dialog[open] button[data-confirm=stop]").click();
        assertThat(state()).hasText("stopped", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(120_000));
        page.locator("details:has(pre.log) summary").click();
        assertThat(page.locator("pre.log")).not().hasText("Loading…");

        page.navigate("/models?session=" + sessionId);
        assertThat(page.locator("[data-testid=models] tbody tr").first()).isVisible();
        shot(page, "models");
    }

    @Test
    @Order(7)
    void aForkSaysWhichCheckpointItStartsFrom() throws Exception {
        HttpResponse<String> models = env.suite.api("GET", "/models?session=" + sessionId + "&size=1", null);
        Matcher model = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(models.body());
        assertThat(model.find()).as(models.body()).isTrue();
        Matcher step = Pattern.compile("\"step\"\\s*:\\s*(\\d+)").matcher(models.body());
        assertThat(step.find()).isTrue();
        HttpResponse<String> fork = env.suite.api("POST", "/models/" + java.net.URLEncoder.encode(model.group(1), java.nio.charset.StandardCharsets.UTF_8)
                + "/fork", "{}");
        assertThat(fork.statusCode()).as(fork.body()).isIn(200, 201);
        Matcher forkId = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(fork.body());
        assertThat(forkId.find()).isTrue();
        page.navigate("/sessions/" + forkId.group(1));
        assertThat(page.locator("[data-testid=origin]")).containsText("starts from the checkpoint at step "
                + String.format(java.util.Locale.US, "%,d", Long.parseLong(step.group(1))));
        assertThat(page.locator("[data-testid=origin] a")).hasText("e2e run");
        page.navigate("/models?session=" + sessionId);
        assertThat(page.locator("[data-testid=models] tbody tr").first()).isVisible();
        env.suite.api("DELETE", "/sessions/" + forkId.group(1), null);
    }

    @Test
    @Order(8)
    void aViewerSeesEverythingButNoControls() throws Exception {
        HttpResponse<String> created = env.suite.api("POST", "/auth/tokens", "{\"name\":\"e2e viewer\",\"owner\":\"e2e-viewer\",\"role\":\"viewer\"}");
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
        Matcher m = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"").matcher(created.body());
        assertThat(m.find()).as(created.body()).isTrue();
        try (BrowserContext viewer = env.context(ColorScheme.DARK)) {
            Page v = viewer.newPage();
            console.watch(v);
            v.navigate("/signin");
            v.locator("#token").fill(m.group(1));
            v.locator("button[type=submit]").click();
            assertThat(v.locator(".badge.role")).hasText("viewer");
            assertThat(v.locator("tr[data-session='" + sessionId + "']")).isVisible();
            assertThat(v.locator("button[data-action]")).hasCount(0);
            assertThat(v.locator("nav a[href='/new']")).hasCount(0);
            v.navigate("/sessions/" + sessionId);
            assertThat(v.locator("h1")).hasText("e2e run");
            assertThat(v.locator("metric-chart").first()).isVisible();
            await().atMost(Duration.ofSeconds(30)).until(() -> points(v.locator("metric-chart[data-metric-names='ppo/policy_loss']")) > 0);
            // The charted metrics are the ones the session reported, not a list in the page.
            assertThat(v.locator("metric-chart[data-metric-names='ppo/gradient_norm']")).isVisible();
            assertThat(v.locator("button[data-action]")).hasCount(0);
            assertThat(v.locator("session-actions button")).hasCount(0);
            assertThat(v.getByText("Edit config")).hasCount(0);
            shot(v, "session-viewer-dark");
            v.navigate("/models");
            assertThat(v.locator("[data-testid=models] tbody tr").first()).isVisible();
            assertThat(v.getByText("Delete")).hasCount(0);
            assertThat(v.getByText("Resume from here")).hasCount(0);
        }
    }

    @Test
    @Order(9)
    void deepLinksAndHistoryNavigationWork() {
        page.navigate("/sessions/" + sessionId);
        assertThat(page.locator("h1")).hasText("e2e run");
        page.locator("nav a[href='/resources']").click();
        assertThat(page.locator("h1")).hasText("Resources");
        page.goBack();
        assertThat(page.locator("h1")).hasText("e2e run");
        page.goForward();
        assertThat(page.locator("h1")).hasText("Resources");
        page.reload();
        assertThat(page.locator("h1")).hasText("Resources");
    }

    @Test
    @Order(10)
    void aMetricTheDashboardDoesNotKnowStillGetsAChart() {
        Object charts = page.evaluate("() => import('/app/metrics.js').then(({ChartSet}) => { const s = new ChartSet();"
                + " s.add(['custom/thing', 'draw_rate', 'ppo/policy_loss', 'black_win_rate']);"
                + " return s.charts.map((c) => c.heading + ': ' + c.metrics.map((m) => m.name).join(',')).join(' | '); })");
        assertThat(charts).isEqualTo("Policy loss: ppo/policy_loss | Self-play results: black_win_rate,draw_rate | custom/thing: custom/thing");
    }

    @Test
    @Order(11)
    void noPageLoggedAConsoleError() {
        assertThat(console.errors).isEmpty();
    }

    private static Locator state() {
        return page.locator("[data-testid=session-state] .badge");
    }

    private static int points(Locator chart) {
        if (chart.count() == 0) {
            return 0;
        }
        String v = chart.first().getAttribute("data-points");
        return v == null || v.isEmpty() ? 0 : Integer.parseInt(v);
    }

    private static long lastStep(Locator chart) {
        String v = chart.first().getAttribute("data-last-step");
        return v == null || v.isEmpty() ? -1 : Long.parseLong(v);
    }

    private static int awaitPoints(Locator chart, int atLeast, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> points(chart) >= atLeast);
        return points(chart);
    }

    static void shot(Page p, String name) {
        p.screenshot(new Page.ScreenshotOptions().setPath(E2e.SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }
}
