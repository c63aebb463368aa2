package io.keisei.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ColorScheme;
import com.microsoft.playwright.options.ScreenshotAnimations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Full-page screenshots of every page, on a desktop (1440x900) and a phone (390x844), light and dark, with a
 * session that has run briefly and is paused (so that the shots are still): written to
 * {@code e2e/target/screenshots/<page>-<width>-<theme>.png}, plus the phone's open menu as
 * {@code menu-390-<theme>.png}. With {@code -Dkeisei.e2e.update-docs-screenshots=true} they are also copied to
 * {@code docs/screenshots/}, the copies the repository keeps (README.md links some of them).
 */
@ExtendWith(E2e.class)
class ScreenshotsIT {

    static final Path DOCS = KeiseiSuite.HOME.resolve("docs/screenshots");
    static final int[][] SIZES = {{1440, 900}, {390, 844}};

    private static E2e.Shared env;
    private static String sessionId;
    private static String evaluationId;
    private static final List<Path> taken = new ArrayList<>();

    @BeforeAll
    static void aSessionThatHasRunBriefly() throws Exception {
        env = E2e.shared();
        PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
        sessionId = env.suite.createSession("quick-cpu demo", KeiseiSuite.TINY_CONFIG);
        env.suite.startAndAwaitMetrics(sessionId);
        // A few more epochs for curves worth looking at, then paused: the pages hold still for the camera.
        Thread.sleep(15_000);
        env.suite.pauseAndAwait(sessionId);
        // Its checkpoint (written by the pause) plays the random player: the Leaderboard and the game viewer have data.
        Pattern id = Pattern.compile("\"id\":\"([^\"]+)\"");
        Matcher model = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(
                () -> id.matcher(env.suite.api("GET", "/models?session=" + sessionId + "&size=1", null).body()), Matcher::find);
        HttpResponse<String> filed = env.suite.api("POST", "/evaluations", "{\"playerA\":\"" + model.group(1)
                + "\",\"playerB\":\"random\",\"games\":4,\"session\":\"" + sessionId + "\"}");
        Matcher evaluation = id.matcher(filed.body());
        assertThat(filed.statusCode() == 201 && evaluation.find()).as(filed.body()).isTrue();
        evaluationId = evaluation.group(1);
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).until(
                () -> env.suite.api("GET", "/evaluations/" + evaluationId, null).body().contains("\"state\":\"completed\""));
    }

    @AfterAll
    static void deleteTheSession() throws Exception {
        if (sessionId != null) {
            env.suite.api("DELETE", "/sessions/" + sessionId, null);
        }
    }

    @Test
    void everyPageAtTwoWidthsInBothThemes() throws Exception {
        for (int[] size : SIZES) {
            for (ColorScheme scheme : List.of(ColorScheme.LIGHT, ColorScheme.DARK)) {
                String suffix = size[0] + "-" + scheme.name().toLowerCase(Locale.ROOT);
                try (BrowserContext anonymous = context(size, scheme, false)) {
                    Page p = anonymous.newPage();
                    p.navigate("/signin");
                    assertThat(p.locator("#token")).isVisible();
                    shot(p, "signin-" + suffix, true);
                }
                try (BrowserContext ctx = context(size, scheme, true)) {
                    Page p = ctx.newPage();
                    overview(p);
                    shot(p, "overview-" + suffix, true);
                    if (size[0] < 760) {
                        p.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Menu")).click();
                        assertThat(p.locator("nav[aria-label=Main]")).isVisible();
                        shot(p, "menu-" + suffix, false);
                    }
                    open(p, "/new?template=quick-cpu", "new");
                    assertThat(p.locator("input[name=template][value=quick-cpu]")).isChecked();
                    shot(p, "new-session-" + suffix, true);
                    session(p);
                    shot(p, "session-" + suffix, true);
                    open(p, "/models", "models");
                    assertThat(p.locator("[data-testid=models] tbody tr").first()).isVisible();
                    shot(p, "models-" + suffix, true);
                    open(p, "/models/leaderboard?session=" + sessionId, "leaderboard");
                    assertThat(p.locator("[data-testid=ratings] tr[data-player=random]")).isVisible();
                    shot(p, "leaderboard-" + suffix, true);
                    open(p, "/models/evaluations/" + evaluationId + "?game=0&ply=12", "evaluation");
                    assertThat(p.locator("[data-testid=game-viewer] shogi-board")).isVisible();
                    shot(p, "evaluation-" + suffix, true);
                    open(p, "/compare?sessions=" + sessionId + "&metric=ppo/policy_loss", "compare");
                    awaitPoints(p.locator("metric-chart").first(), 1, true);
                    shot(p, "compare-" + suffix, true);
                    open(p, "/resources", "resources");
                    assertThat(p.locator("[data-testid=pools] tbody tr").first()).isVisible();
                    awaitPoints(p.locator("metric-chart[data-kind=cpu]"), 3, false);
                    shot(p, "resources-" + suffix, true);
                }
            }
        }
        if (Boolean.getBoolean("keisei.e2e.update-docs-screenshots")) {
            Files.createDirectories(DOCS);
            for (Path shot : taken) {
                Files.copy(shot, DOCS.resolve(shot.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static BrowserContext context(int[] size, ColorScheme scheme, boolean signedIn) {
        BrowserContext ctx = env.browser.newContext(new Browser.NewContextOptions().setViewportSize(size[0], size[1])
                .setColorScheme(scheme).setBaseURL(env.suite.baseUrl));
        if (signedIn) {
            ctx.addInitScript("localStorage.setItem('keisei.token', '" + env.suite.adminToken + "')");
        }
        ctx.setDefaultTimeout(30_000);
        return ctx;
    }

    /** Opens a page and waits until it shows its data: its keisei:rendered mark, then the live connection. */
    private static void open(Page p, String path, String mark) {
        p.navigate(path);
        p.waitForFunction("(n) => performance.getEntriesByName(n).length > 0", "keisei:rendered:" + mark);
        assertThat(p.locator(".topbar .conn")).hasAttribute("data-state", "open");
    }

    private static void overview(Page p) {
        open(p, "/", "overview");
        assertThat(p.locator("tr[data-session='" + sessionId + "'] .badge")).hasText("paused");
        assertThat(p.locator("system-meters .meter").first()).isVisible();
    }

    private static void session(Page p) {
        open(p, "/sessions/" + sessionId, "session");
        assertThat(p.locator("[data-testid=session-state] .badge")).hasText("paused");
        awaitPoints(p.locator("metric-chart[data-metric-names='ppo/policy_loss']"), 1, true);
        assertThat(p.locator("shogi-board .piece").first()).isVisible();
        assertThat(p.locator("[data-testid=checkpoints] tbody tr").first()).isVisible();
        // Every chart drawn, as far as the metrics have points (a chart without any is shot as it is).
        try {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> (Boolean) p.evaluate(
                    "() => [...document.querySelectorAll('metric-chart')].every((c) => Number(c.getAttribute('data-points') || 0) > 0)"));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.out.println("screenshots: not every chart of the session page has points");
        }
    }

    /** Waits for a chart's points; {@code required} false: the shot is taken anyway after a while. */
    private static void awaitPoints(Locator chart, int atLeast, boolean required) {
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
                String v = chart.count() == 0 ? null : chart.first().getAttribute("data-points");
                return v != null && !v.isEmpty() && Integer.parseInt(v) >= atLeast;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            if (required) {
                throw e;
            }
        }
    }

    private static void shot(Page p, String name, boolean fullPage) {
        // Settled: fonts loaded, two frames drawn (charts draw in a frame after their data).
        p.evaluate("() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))");
        Path path = E2e.SCREENSHOTS.resolve(name + ".png");
        p.screenshot(new Page.ScreenshotOptions().setPath(path).setFullPage(fullPage).setAnimations(ScreenshotAnimations.DISABLED));
        taken.add(path);
    }
}
