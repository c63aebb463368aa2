package io.keisei.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.WebSocketRoute;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.ColorScheme;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The charts, the Compare page and the session page's live figures, given exactly the hub messages a trainer's
 * records would produce. The sessions are real (created through the API) and the page talks to the real gateway;
 * the live messages of those never-started sessions are added to the page's real WebSocket (Playwright's
 * routeWebSocket), so that a test can say "run A is at step 20,000 while run B reports step 1,100" without two
 * trainers racing. Real training runs are in {@link DashboardIT}.
 */
@ExtendWith(E2e.class)
class DashboardChartsIT {

    private static E2e.Shared env;
    private static final List<String> created = new ArrayList<>();
    private static final AtomicLong ids = new AtomicLong(System.currentTimeMillis());
    private final List<WebSocketRoute> sockets = new CopyOnWriteArrayList<>();
    private final E2e.ConsoleErrors console = new E2e.ConsoleErrors();
    private BrowserContext ctx;

    @BeforeAll
    static void start() {
        env = E2e.shared();
        PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
    }

    @AfterAll
    static void deleteSessions() throws Exception {
        for (String id : created) {
            env.suite.api("DELETE", "/sessions/" + id, null);
        }
    }

    @BeforeEach
    void openContext() {
        ctx = context(1280, 800);
    }

    @AfterEach
    void closeContext() {
        ctx.close();
        assertThat(console.errors).as("console errors").isEmpty();
    }

    private BrowserContext context(int width, int height) {
        BrowserContext c = env.browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height)
                .setColorScheme(ColorScheme.LIGHT).setBaseURL(env.suite.baseUrl));
        c.addInitScript("localStorage.setItem('keisei.token', '" + env.suite.adminToken + "')");
        c.setDefaultTimeout(20_000);
        // Every hub connection of the context goes to the real gateway; the test can add messages of its own.
        c.routeWebSocket(Pattern.compile(".*/ws$"), ws -> {
            ws.connectToServer();
            sockets.add(ws);
        });
        return c;
    }

    private Page open(String path) {
        Page p = ctx.newPage();
        console.watch(p);
        p.navigate(path);
        return p;
    }

    /** A session that exists but never runs (its live messages come from the test). */
    private static String session(String name, String configJson) throws Exception {
        String id = env.suite.createSession(name, configJson);
        created.add(id);
        return id;
    }

    /** Sends a hub message to every page of the context, on the session's topic and on the overview's. */
    private void send(String session, String type, String data) {
        for (String topic : List.of("session:" + session, "sessions")) {
            String msg = String.format(Locale.ROOT, "{\"type\":\"%s\",\"topic\":\"%s\",\"session\":\"%s\",\"id\":\"%d-0\",\"ts\":%d,\"data\":%s}",
                    type, topic, session, ids.incrementAndGet(), System.currentTimeMillis(), data);
            for (WebSocketRoute ws : sockets) {
                try {
                    ws.send(msg);
                } catch (RuntimeException closed) {
                    sockets.remove(ws);
                }
            }
        }
    }

    private void update(String session, int attempt, long step, long time, String metrics, Double stepsPerSecond) {
        send(session, "training_update", String.format(Locale.ROOT, "{\"full\":false,\"attempt\":%d,\"step\":%d,\"time\":%d,\"metrics\":%s%s}",
                attempt, step, time, metrics, stepsPerSecond == null ? "" : ",\"stepsPerSecond\":" + stepsPerSecond));
    }

    private void awaitSubscribed(Page p, String topic) {
        p.waitForFunction("(t) => import('/app/live.js').then((m) => m.live.state === 'open' && m.live.handlers.has(t))", topic);
        p.waitForTimeout(300);   // the subscribe reached the gateway; what is sent now is delivered
    }

    /** Waits until a session page has read the session, its status and its metric names (what it reads over REST). */
    private static void awaitLoaded(Page p) {
        assertThat(p.getByText("No metrics yet")).isVisible();
    }

    /** Waits until a chart has taken its history answer: live points sent before it would be replaced by it. */
    private static void awaitHistory(Locator chart) {
        await().atMost(Duration.ofSeconds(20)).until(() -> chart.count() > 0);
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> chart.first().getAttribute("data-history") != null);
        } catch (org.awaitility.core.ConditionTimeoutException olderChart) {
            chart.page().waitForTimeout(1500);   // a chart that does not say (the dashboard before it did): give it time
        }
    }

    private static void setRange(Locator input, String value) {
        input.evaluate("(e, v) => { e.value = v; e.dispatchEvent(new Event('input', {bubbles: true})); }", value);
    }

    private static long lastStep(Locator chart) {
        String v = chart.getAttribute("data-last-step");
        return v == null || v.isEmpty() ? -1 : Long.parseLong(v);
    }

    // ---- defect 1: Compare keeps every run's history; a run keeps its colour everywhere ----------------------

    @Test
    void aShorterRunReportingANewStepNeverCutsTheLongerRunsHistory() throws Exception {
        String longer = session("cmp long", "{}");
        String shorter = session("cmp short", "{}");
        Page p = open("/compare?sessions=" + longer + "," + shorter + "&metric=episode_reward_mean");
        awaitSubscribed(p, "session:" + shorter);
        awaitHistory(p.locator("metric-chart"));
        long t0 = System.currentTimeMillis() - 600_000;
        for (int i = 1; i <= 20; i++) {
            update(longer, 1, i * 1000L, t0 + i * 10_000L, "{\"episode_reward_mean\":" + (0.1 + i * 0.01) + "}", null);
        }
        for (int i = 1; i <= 10; i++) {
            update(shorter, 1, i * 100L, t0 + i * 10_000L, "{\"episode_reward_mean\":" + (-0.1 - i * 0.01) + "}", null);
        }
        Locator chart = p.locator("metric-chart");
        await().atMost(Duration.ofSeconds(20)).until(() -> lastStep(chart) == 20_000);
        update(shorter, 1, 1_100, t0 + 110_000, "{\"episode_reward_mean\":-0.3}", null);
        // 20 + 11 distinct steps (100..1000 step 100 and 1000..20000 step 1000 share the step 1000).
        await().atMost(Duration.ofSeconds(20)).until(() -> "30".equals(chart.getAttribute("data-points")));
        assertThat(lastStep(chart)).as("the longer run still ends at its own last step").isEqualTo(20_000);
        Object perRun = p.evaluate("() => { const c = document.querySelector('metric-chart');"
                + " return c.series.map((s) => s.x.length + ':' + s.x[s.x.length - 1]).join(' '); }");
        assertThat(perRun).isEqualTo("20:20000 11:1100");

        // The same colour for the run on Compare, the overview and its own page.
        String compareColour = swatchColour(p.locator("label[for='run-" + longer + "'] .run-swatch"));
        Page overview = open("/");
        String overviewColour = swatchColour(overview.locator("tr[data-session='" + longer + "'] .run-swatch"));
        Page own = open("/sessions/" + longer);
        String ownColour = swatchColour(own.locator("h1 .run-swatch"));
        assertThat(List.of(overviewColour, ownColour)).containsOnly(compareColour);
        assertThat(swatchColour(p.locator("label[for='run-" + shorter + "'] .run-swatch"))).isNotEqualTo("rgba(0, 0, 0, 0)");
        // The colour is the run's own: not its place in the selection.
        Page swapped = open("/compare?sessions=" + shorter + "," + longer + "&metric=episode_reward_mean");
        assertThat(swatchColour(swapped.locator("label[for='run-" + longer + "'] .run-swatch"))).isEqualTo(compareColour);
        Object lineColours = swapped.evaluate("() => { const c = document.querySelector('metric-chart');"
                + " return c.metrics.map((m) => m.name + '=' + m.color).join(' '); }");
        assertThat(String.valueOf(lineColours)).contains(longer + "=");
        Object firstPageColours = p.evaluate("() => document.querySelector('metric-chart').metrics.map((m) => m.name + '=' + m.color).join(' ')");
        for (String pair : String.valueOf(lineColours).split(" ")) {
            assertThat(String.valueOf(firstPageColours)).contains(pair);
        }
    }

    private static String swatchColour(Locator swatch) {
        assertThat(swatch.first()).isVisible();
        return String.valueOf(swatch.first().evaluate("(e) => getComputedStyle(e).backgroundColor"));
    }

    // ---- compare: up to 10 runs, state in the URL, configs side by side ---------------------------------------

    @Test
    void compareTenRunsWithTheirConfigsSideBySideAndTheViewInTheUrl() throws Exception {
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            runs.add(session("cmp ten " + i, i % 2 == 0 ? "{\"training\":{\"learning_rate\":0.0005}}" : "{\"training\":{\"learning_rate\":0.001}}"));
        }
        Page p = open("/compare?sessions=" + String.join(",", runs) + "&metric=episode_reward_mean");
        assertThat(p.locator("#runs-h")).containsText("10 of up to 10");
        assertThat(p.locator("#run-" + runs.get(10))).isDisabled();
        assertThat(p.locator("#run-" + runs.get(9))).isChecked();
        // The configs: learning_rate differs, and the only-differences view shows it.
        Locator row = p.locator("[data-testid=config-diff] tr[data-path='training.learning_rate']");
        assertThat(row).hasClass(Pattern.compile("differs"));
        assertThat(row.locator("td")).hasCount(10);
        assertThat(row.locator("td").nth(0)).hasText("0.0005");
        assertThat(row.locator("td").nth(1)).hasText("0.001");
        assertThat(p.locator("[data-testid=config-diff] tr[data-path='training.tower_width']")).hasCount(0);
        p.locator("label:has-text('only differences') input").uncheck();
        assertThat(p.locator("[data-testid=config-diff] tr[data-path='training.tower_width']")).hasCount(1);

        // The view is in the URL and survives a reload.
        setRange(p.locator("[data-testid=smoothing]"), "0.8");
        p.locator("[data-testid=x-mode]").selectOption("relative");
        p.locator("metric-chart .chart-log").click();
        await().atMost(Duration.ofSeconds(5)).until(() -> p.url().contains("smooth=0.8") && p.url().contains("x=relative")
                && p.url().contains("log=compare"));
        p.reload();
        assertThat(p.locator("[data-testid=x-mode]")).hasValue("relative");
        assertThat(p.locator("[data-testid=smoothing]")).hasValue("0.8");
        assertThat(p.locator("metric-chart .chart-log")).hasAttribute("aria-pressed", "true");
        assertThat(p.locator("#run-" + runs.get(3))).isChecked();
        assertThat(p.locator("#c-metric")).hasValue("episode_reward_mean");
    }

    // ---- defect 3: the resume marker, drawn live and legible ---------------------------------------------------

    @Test
    void aResumedAttemptIsMarkedLiveWithItsLabelOnTheCanvas() throws Exception {
        String id = session("marker run", "{}");
        Page p = open("/sessions/" + id);
        awaitSubscribed(p, "session:" + id);
        long t0 = System.currentTimeMillis() - 300_000;
        update(id, 1, 100, t0, "{\"ppo/policy_loss\":0.5}", null);
        Locator chart = p.locator("metric-chart[data-metric-names='ppo/policy_loss']");
        awaitHistory(chart);
        for (int i = 2; i <= 10; i++) {
            update(id, 1, i * 100L, t0 + i * 1000L, "{\"ppo/policy_loss\":" + (0.5 - i * 0.01) + "}", null);
        }
        // Paused at 1,000, resumed from the checkpoint at 1,000: the new attempt's first report.
        update(id, 2, 1_000, t0 + 60_000, "{\"ppo/policy_loss\":0.3}", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(chart.getAttribute("data-markers")).contains("attempt 2"));
        assertThat(p.locator("[data-testid=session-meta]")).containsText("attempt 2");
        for (int i = 11; i <= 14; i++) {
            update(id, 2, i * 100L, t0 + 60_000 + i * 1000L, "{\"ppo/policy_loss\":" + (0.3 - i * 0.01) + "}", null);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> lastStep(chart) == 1_400);
        assertThat(chart.getAttribute("data-markers")).isEqualTo("attempt 2");
    }

    // ---- defect 4: one ETA, smoothed, the same on every page --------------------------------------------------

    @Test
    void theEtaIsOneSmoothedEstimateShownAlikeOnTheOverviewAndTheSessionPage() throws Exception {
        String id = session("eta run", "{\"training\":{\"total_timesteps\":5000000}}");
        send(id, "session_event", "{\"v\":1,\"type\":\"session.started\",\"session\":\"" + id + "\",\"attempt\":1,\"state\":\"running\",\"time\":"
                + System.currentTimeMillis() + "}");
        Page session = open("/sessions/" + id);
        Page overview = open("/");
        awaitLoaded(session);
        assertThat(overview.locator("tr[data-session='" + id + "']")).isVisible();
        overview.waitForTimeout(500);   // the rows' statuses are read after the list
        awaitSubscribed(session, "session:" + id);
        awaitSubscribed(overview, "sessions");
        send(id, "session_event", "{\"v\":1,\"type\":\"session.started\",\"session\":\"" + id + "\",\"attempt\":1,\"state\":\"running\",\"time\":"
                + System.currentTimeMillis() + "}");
        Set<String> seen = new HashSet<>();
        long t0 = System.currentTimeMillis();
        for (int i = 0; i < 12; i++) {
            // The trainer's momentary speed swings between 500 and 1,500; the gateway's smoothed one is 1,000.
            double momentary = i % 2 == 0 ? 500 : 1500;
            update(id, 1, 1_000_000 + i * 500L, t0 + i * 500L,
                    "{\"steps_per_second\":" + momentary + ",\"ppo/policy_loss\":0.1}", 1000.0 - i * 0.5);
            session.waitForTimeout(250);
            seen.add(eta(session.locator(".panel.stat").first()));
        }
        assertThat(seen).as("the ETA shown on the session page while the momentary speed swings").hasSize(1);
        String eta = seen.iterator().next();
        assertThat(eta).isEqualTo("ETA about 1 h 10 min");   // (5,000,000 - 1,005,500) / 994.5 s ≈ 67 min
        assertThat(eta(overview.locator("tr[data-session='" + id + "'] td").nth(2))).isEqualTo(eta);
        assertThat(throughput(session)).hasText("995");
    }

    /** The "ETA …" a page shows in a block (the session page's Step panel, an overview row's progress cell). */
    private static String eta(Locator block) {
        Matcher m = Pattern.compile("ETA [^·\\n]+").matcher(block.innerText());
        return m.find() ? m.group().trim() : "";
    }

    /** The session page's throughput figure (found by its label, as a reader finds it). */
    private static Locator throughput(Page p) {
        return p.locator(".panel.stat", new Page.LocatorOptions().setHasText("Throughput")).locator(".value");
    }

    // ---- defect 5: a paused session shows no stale speed --------------------------------------------------------

    @Test
    void aPausedSessionHasNoThroughputAndSaysWhereItsResourcesWent() throws Exception {
        String id = session("paused run", "{}");
        Page p = open("/sessions/" + id);
        awaitLoaded(p);
        awaitSubscribed(p, "session:" + id);
        long now = System.currentTimeMillis();
        send(id, "session_event", "{\"v\":1,\"type\":\"session.started\",\"session\":\"" + id + "\",\"attempt\":1,\"state\":\"running\",\"time\":" + now + "}");
        update(id, 1, 5_000, now, "{\"steps_per_second\":1271}", 1271.0);
        assertThat(throughput(p)).hasText("1,271");
        send(id, "session_event", "{\"v\":1,\"type\":\"session.paused\",\"session\":\"" + id + "\",\"attempt\":1,\"state\":\"paused\",\"time\":" + now + "}");
        assertThat(throughput(p)).hasText("–");
        assertThat(p.locator("[data-testid=throughput]")).containsText("not training (paused)");
        assertThat(p.locator("[data-testid=allocation]")).containsText("released while paused");
        assertThat(p.locator("[data-testid=eta]")).hasCount(0);
    }

    // ---- defect 10: empty charts, hover with the step, axis titles, charts that line up -----------------------

    @Test
    void chartsSayWhenEmptyShowTheStepOnHoverHaveAxisTitlesAndLineUp() throws Exception {
        String id = session("axes run", "{}");
        Page p = open("/sessions/" + id);
        assertThat(p.getByText("No metrics yet")).isVisible();
        awaitSubscribed(p, "session:" + id);
        long t0 = System.currentTimeMillis() - 100_000;
        // The evaluation reports first, at step 0; the losses from 2,048 on.
        update(id, 1, 0, t0, "{\"eval/win_rate_vs_random\":0.1}", null);
        Locator eval = p.locator("metric-chart[data-metric-names='eval/win_rate_vs_random']");
        awaitHistory(eval);
        update(id, 1, 2_048, t0 + 10_000, "{\"ppo/entropy\":2.5}", null);
        Locator entropy = p.locator("metric-chart[data-metric-names='ppo/entropy']");
        assertThat(entropy).isVisible();
        // A chart of a metric that has no point yet says so instead of staying blank.
        p.evaluate("() => { const c = document.createElement('metric-chart'); c.id = 'probe'; c.heading = 'probe';"
                + " c.metrics = [{name: 'nothing', label: 'nothing'}]; document.querySelector('main').append(c); }");
        assertThat(p.locator("#probe .chart-empty")).isVisible();
        assertThat(p.locator("#probe .chart-empty")).containsText("No points yet");
        awaitHistory(entropy);
        for (int i = 2; i <= 8; i++) {
            update(id, 1, i * 2048L, t0 + i * 10_000L, "{\"ppo/entropy\":" + (2.5 - i * 0.1) + "}", null);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> lastStep(entropy) == 8 * 2048);
        // Every chart of the page spans the same steps, so markers and cursors line up.
        await().atMost(Duration.ofSeconds(10)).until(() -> p.evaluate("() => [...document.querySelectorAll('metric-chart[data-key]')]"
                + ".map((c) => c.u.scales.x.min + ':' + c.u.scales.x.max).join(' ')").toString().equals("0:16384 0:16384"));
        assertThat(entropy.locator(".chart-empty")).isHidden();
        // Axis titles, and the step under the cursor.
        assertThat(p.evaluate("() => document.querySelector(\"metric-chart[data-metric-names='ppo/entropy']\").u.axes[0].label")).isEqualTo("training step");
        var box = entropy.locator(".u-over").boundingBox();
        p.mouse().move(box.x + box.width - 2, box.y + box.height / 2);
        assertThat(entropy.locator(".at")).hasText(Pattern.compile("at step 1[0-9],[0-9]{3}"));
    }

    // ---- features: smoothing, log scale, x axis by time, a choice of charts, any metric -----------------------

    @Test
    void smoothingLogScaleTimeAxisAndTheChoiceOfCharts() throws Exception {
        String id = session("view run", "{}");
        Page p = open("/sessions/" + id);
        awaitSubscribed(p, "session:" + id);
        long t0 = System.currentTimeMillis() - 3_600_000;
        update(id, 1, 100, t0, "{\"ppo/value_loss\":1.0,\"custom/thing\":5}", null);
        Locator chart = p.locator("metric-chart[data-metric-names='ppo/value_loss']");
        assertThat(chart).isVisible();
        // A metric this dashboard has no heading for still gets its chart, and a place in the choice of charts.
        Locator custom = p.locator("metric-chart[data-metric-names='custom/thing']");
        assertThat(custom).isVisible();
        awaitHistory(chart);
        for (int i = 2; i <= 40; i++) {
            update(id, 1, i * 100L, t0 + i * 60_000L, "{\"ppo/value_loss\":" + (i % 2 == 0 ? 2.0 : 0.5) + "}", null);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> lastStep(chart) == 4_000);

        // Smoothing: the drawn line is the EMA, the raw one is shown faint behind it.
        setRange(p.locator("[data-testid=smoothing]"), "0.9");
        await().atMost(Duration.ofSeconds(5)).until(() -> Boolean.TRUE.equals(chart.evaluate("(c) => c.u.series[2].show")));
        Object spread = chart.evaluate("(c) => { const d = c.u.data; const r = (col) => Math.max(...col.slice(20)) - Math.min(...col.slice(20));"
                + " return [r(d[1]), r(d[2])]; }");
        @SuppressWarnings("unchecked") List<Number> ranges = (List<Number>) spread;
        assertThat(ranges.get(0).doubleValue()).as("smoothed range vs raw range").isLessThan(ranges.get(1).doubleValue() / 2);
        assertThat(p.url()).contains("smooth=0.9");

        // Log scale on one chart only.
        chart.locator(".chart-log").click();
        await().atMost(Duration.ofSeconds(5)).until(() -> Integer.valueOf(3).equals(chart.evaluate("(c) => c.u.scales.y.distr")));
        assertThat(custom.evaluate("(c) => c.u.scales.y.distr")).isEqualTo(1);
        assertThat(p.url()).contains("log=ppo%2Fvalue_loss");

        // Wall-clock time on the x axis, from the run's clock.
        p.locator("[data-testid=x-mode]").selectOption("wall");
        await().atMost(Duration.ofSeconds(5)).until(() -> "wall-clock time".equals(chart.evaluate("(c) => c.u.axes[0].label")));
        Number lastX = (Number) chart.evaluate("(c) => c.u.data[0][c.u.data[0].length - 1]");
        assertThat(lastX.doubleValue()).isCloseTo((t0 + 40 * 60_000L) / 1000.0, org.assertj.core.data.Offset.offset(1.0));
        p.locator("[data-testid=x-mode]").selectOption("relative");
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            Object x = chart.evaluate("(c) => c.u.data[0][c.u.data[0].length - 1]");
            return x instanceof Number n && Math.abs(n.doubleValue() - 40 * 60) < 1;   // step 100 at t0, step 4,000 at t0 + 40 min
        });

        // Hide a chart: it goes, the URL says so, a reload keeps it hidden.
        p.locator("[data-testid=metric-picker] summary").click();
        p.locator("[data-testid=metric-picker] input[data-chart='custom/thing']").uncheck();
        assertThat(custom).hasCount(0);
        assertThat(p.locator("[data-testid=metric-picker] summary")).containsText("of");
        p.reload();
        // The session never ran, so nothing is stored: its charts come back with its next live report.
        awaitSubscribed(p, "session:" + id);
        update(id, 1, 4_100, t0 + 41 * 60_000L, "{\"ppo/value_loss\":0.02,\"custom/thing\":6}", null);
        assertThat(chart).isVisible();
        assertThat(p.locator("[data-testid=x-mode]")).hasValue("relative");
        assertThat(p.locator("[data-testid=smoothing]")).hasValue("0.9");
        assertThat(p.locator("metric-chart[data-metric-names='custom/thing']")).hasCount(0);
        assertThat(chart.locator(".chart-log")).hasAttribute("aria-pressed", "true");
    }
}
