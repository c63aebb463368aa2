package io.keisei.e2e;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.BoundingBox;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The new-session form and the session controls in headless Chromium against the running suite: every rule the server
 * checks on a new session is checked in the browser as the user types (the rules come from the server's session and
 * config schemas); a server error lasts until its field changes and never locks the form; on a phone the changes
 * panel covers no field and nothing scrolls sideways; Stop asks first; a session stopped before it ran offers Start.
 */
@ExtendWith(E2e.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardFormIT {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private static E2e.Shared env;
    private static BrowserContext admin;
    private static Page page;
    private static final E2e.ConsoleErrors console = new E2e.ConsoleErrors();
    /** POSTs to /api/v1/sessions the page sent: the browser's checks must send none for a value they refuse. */
    private static final List<String> creates = Collections.synchronizedList(new ArrayList<>());
    private static final List<String> sessions = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void signIn() {
        env = E2e.shared();
        PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
        admin = env.context(ColorScheme.LIGHT);
        admin.setDefaultTimeout(30_000);
        page = admin.newPage();
        console.watch(page);
        page.onRequest(r -> {
            if ("POST".equals(r.method()) && r.url().endsWith("/api/v1/sessions")) {
                creates.add(r.postData());
            }
        });
        page.navigate("/signin");
        page.locator("#token").fill(env.suite.adminToken);
        page.locator("button[type=submit]").click();
        assertThat(page.locator(".badge.role")).hasText("admin");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        try {
            if (page != null) {
                page.navigate("/");   // off the sessions' pages before they go: their reads would be 404s
            }
            for (String id : sessions) {
                env.suite.api("POST", "/sessions/" + id + "/stop", null);
            }
            for (String id : sessions) {
                // A running one checkpoints and exits first; it can be deleted once it is stopped.
                await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() ->
                        !Pattern.compile("\"state\":\"(queued|starting|running|pausing|stopping)\"")
                                .matcher(env.suite.api("GET", "/sessions/" + id, null).body()).find());
                env.suite.api("DELETE", "/sessions/" + id, null);
            }
        } finally {
            if (admin != null) {
                admin.close();
            }
        }
    }

    @Test
    @Order(1)
    void priorityIsCheckedAtOnceAndFixingItEnablesCreate() {
        openNewSession();
        page.locator("#f-name").fill("form check");
        Locator create = page.locator("button[type=submit]");
        assertThat(create).isEnabled();
        Locator error = page.locator("[data-field=priority]");

        page.locator("#f-priority").fill("5000");
        assertThat(error).containsText("at most 1000");
        assertThat(page.locator("#f-priority")).hasAttribute("aria-invalid", "true");
        assertThat(create).isDisabled();
        page.locator("#f-priority").fill("-1");
        assertThat(error).containsText("at least 0");
        page.locator("#f-priority").fill("2.5");
        assertThat(error).containsText("whole number");
        assertThat(create).isDisabled();

        page.locator("#f-priority").fill("700");
        assertThat(error).isEmpty();
        assertThat(create).isEnabled();
        // The browser refused on its own: nothing was sent.
        assertThat(creates).isEmpty();
    }

    @Test
    @Order(2)
    void aNameTheServerRefusesIsFlaggedInTheBrowserWithTheServersWords() throws Exception {
        openNewSession();
        Locator name = page.locator("#f-name");
        Locator error = page.locator("[data-field=name]");
        Locator create = page.locator("button[type=submit]");
        // What the server answers for such a name...
        HttpResponse<String> refused = env.suite.api("POST", "/sessions", "{\"name\":\"a=b\",\"template\":\"quick-cpu\"}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(refused.body()).contains("\"field\":\"name\"").contains("may contain letters, digits, spaces and _ . : - only");

        // ... the browser says at once, before anything is sent.
        name.fill("a=b");
        assertThat(error).hasText("may contain letters, digits, spaces and _ . : - only");
        assertThat(name).hasAttribute("aria-invalid", "true");
        assertThat(create).isDisabled();
        name.fill("x".repeat(101));
        assertThat(error).containsText("at most 100 characters");
        name.fill("   ");
        assertThat(error).hasText("is required");
        assertThat(create).isDisabled();
        // Letters of any script are letters (the pattern is read with Unicode in the browser too).
        name.fill("将棋 run 2.0");
        assertThat(error).isEmpty();
        assertThat(create).isEnabled();

        // A config field with a rule the server checks by pattern (a run name that would leave the session's directory).
        page.locator("details:has(#f-logging-run_name) > summary").click();
        page.locator("#f-logging-run_name").fill("../escape");
        assertThat(page.locator("[data-field='logging.run_name']")).containsText("letters, digits and . _ -");
        assertThat(create).isDisabled();
        page.locator("#f-logging-run_name").fill("");
        assertThat(page.locator("[data-field='logging.run_name']")).isEmpty();
        assertThat(create).isEnabled();
        assertThat(creates).isEmpty();
    }

    /**
     * A rule only the server knows (here: an answer made up by the test, as for a name another session has): its errors
     * appear at their fields (and one for a field the form does not have, with its path) and each goes when its field
     * changes; then Create works without touching anything else.
     */
    @Test
    @Order(3)
    void aServerErrorGoesWhenItsFieldChangesAndCreateNeedsNothingElse() throws Exception {
        openNewSession();
        page.locator("#f-name").fill("form server error");
        AtomicInteger refusals = new AtomicInteger();
        page.route("**/api/v1/sessions", route -> {
            if ("POST".equals(route.request().method()) && refusals.getAndIncrement() == 0) {
                route.fulfill(new Route.FulfillOptions().setStatus(400).setContentType("application/problem+json")
                        .setBody("{\"type\":\"about:blank\",\"title\":\"Invalid request\",\"status\":400,"
                                + "\"detail\":\"name: is taken by another session\",\"instance\":\"/api/v1/sessions\",\"errors\":["
                                + "{\"field\":\"name\",\"message\":\"is taken by another session\"},"
                                + "{\"field\":\"config.training.tower_width\",\"message\":\"is more than this host can train\"},"
                                + "{\"field\":\"owner\",\"message\":\"has no quota left\"}]}"));
            } else {
                route.resume();
            }
        });
        Locator create = page.locator("button[type=submit]");
        create.click();
        Locator nameError = page.locator("[data-field=name]");
        Locator widthError = page.locator("[data-field='training.tower_width']");
        assertThat(nameError).hasText("is taken by another session");
        assertThat(widthError).hasText("is more than this host can train");
        assertThat(page.locator("[data-testid=other-errors]")).containsText("owner: has no quota left");
        assertThat(create).isDisabled();
        console.errors.clear();   // the browser logs the made-up 400 as a failed resource load

        page.locator("#f-name").fill("form server error 2");
        assertThat(nameError).isEmpty();
        assertThat(create).isDisabled();   // the config field is still as the server refused it
        page.locator("#f-training-tower_width").fill("32");
        assertThat(widthError).isEmpty();
        assertThat(create).isEnabled();
        assertThat(page.getByText("config is valid")).isVisible();

        create.click();
        page.waitForURL(Pattern.compile(".*/sessions/[^/]+$"));
        page.unrouteAll();
        Matcher m = Pattern.compile("/sessions/([^/?]+)").matcher(page.url());
        assertThat(m.find()).isTrue();
        sessions.add(m.group(1));
        assertThat(page.locator("h1")).hasText("form server error 2");
        String created = env.suite.api("GET", "/sessions/" + m.group(1), null).body();
        assertThat(created).contains("\"tower_width\":32");
        assertThat(refusals.get()).isEqualTo(2);
    }

    @Test
    @Order(4)
    void onAPhoneTheChangesPanelCoversNoFieldAndNothingScrollsSideways() {
        page.setViewportSize(390, 844);
        try {
            openNewSession();
            page.locator("#f-name").fill("phone = check");   // an error under the field: it must wrap, not widen the page
            assertThat(page.locator("[data-field=name]")).not().isEmpty();
            page.locator("#f-training-tower_width").fill("48");
            assertThat(page.locator("[data-testid=diff]")).containsText("training.tower_width");
            Locator aside = page.locator("aside.form-aside");
            Locator name = page.locator("#f-name");
            for (int scrollY : new int[]{0, 400, 1200, 100_000}) {
                page.evaluate("(y) => new Promise((r) => { window.scrollTo(0, y); requestAnimationFrame(() => requestAnimationFrame(r)); })",
                        scrollY);
                BoundingBox n = name.boundingBox();
                BoundingBox a = aside.boundingBox();
                boolean overlaps = a.y < n.y + n.height && n.y < a.y + a.height && a.x < n.x + n.width && n.x < a.x + a.width;
                assertThat(overlaps).as("the changes panel over the name field, scrolled to " + scrollY).isFalse();
                assertThat(a.y).as("the changes panel comes after the name field").isGreaterThan(n.y + n.height);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> widths = (Map<String, Object>) page.evaluate(
                    "() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})");
            assertThat(((Number) widths.get("scroll")).intValue()).as("page width on a phone")
                    .isLessThanOrEqualTo(((Number) widths.get("client")).intValue());
            // One column: the form's fields and the panel start at the same left edge.
            BoundingBox form = page.locator("form fieldset").first().boundingBox();
            assertThat(aside.boundingBox().x).isBetween(form.x - 1, form.x + 1);
            DashboardIT.shot(page, "new-session-phone");
        } finally {
            page.setViewportSize(1280, 800);
        }
    }

    /**
     * A researcher may run one session at a time: the first one runs, the second waits in the queue for it and is
     * stopped before it ever runs. Stop asks first (Cancel keeps either as it is); the stopped one offers Start.
     */
    @Test
    @Order(5)
    void stopAsksFirstAndASessionStoppedBeforeItRanOffersStart() throws Exception {
        String running = create("form running", "e2e-form", "researcher");
        String queued = create("form queued", "e2e-form", "researcher");
        assertThat(env.suite.api("POST", "/sessions/" + running + "/start", null).statusCode()).isEqualTo(200);
        assertThat(env.suite.api("POST", "/sessions/" + queued + "/start", null).body()).contains("\"state\":\"queued\"");
        Locator state = page.locator("[data-testid=session-state] .badge");
        Locator stop = page.locator("button[data-action=stop]");

        // Running: Stop says what it does; Cancel keeps it running.
        page.navigate("/sessions/" + running);
        assertThat(state).hasText("running", new LocatorAssertions.HasTextOptions().setTimeout(120_000));
        stop.click();
        Locator dialog = page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("Stop session form running?"));
        assertThat(dialog).isVisible();
        assertThat(dialog).containsText("The trainer saves a checkpoint first");
        Locator cancel = dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Cancel"));
        assertThat(cancel).isFocused();
        DashboardIT.shot(page, "stop-confirm");
        cancel.click();
        assertThat(dialog).hasCount(0);
        page.waitForTimeout(1000);
        assertThat(state).hasText("running");
        assertThat(env.suite.api("GET", "/sessions/" + running, null).body()).contains("\"state\":\"running\"");

        // Queued: Escape is a cancel too; a confirmed Stop stops it.
        page.navigate("/sessions/" + queued);
        assertThat(state).hasText("queued");
        stop.click();
        dialog = page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("Stop session form queued?"));
        assertThat(dialog).containsText("leaves the queue");
        page.keyboard().press("Escape");
        assertThat(dialog).hasCount(0);
        page.waitForTimeout(500);
        assertThat(state).hasText("queued");
        stop.click();
        page.locator("dialog[open] button[data-confirm=stop]").click();
        assertThat(state).hasText("stopped");
        assertThat(page.locator("dialog")).hasCount(0);

        // It never ran: there is nothing to resume from, so it offers Start (the server's resume starts it over).
        Locator start = page.locator("button[data-action=start]");
        assertThat(start).isEnabled();
        assertThat(start).hasText("Start");
        assertThat(start).hasAttribute("title", Pattern.compile("no checkpoint yet"));
        assertThat(page.locator("button[data-action=resume]")).isDisabled();
        page.navigate("/");
        Locator row = page.locator("tr[data-session='" + queued + "']");
        assertThat(row.locator(".badge")).hasText("stopped");
        assertThat(row.locator("button[data-action=start]")).isEnabled();
        assertThat(row.locator("button[data-action=resume]")).hasCount(0);
        page.navigate("/sessions/" + queued);
        page.locator("button[data-action=start]").click();
        assertThat(state).hasText("queued");
        assertThat(env.suite.api("GET", "/sessions/" + queued, null).body()).contains("\"state\":\"queued\"")
                .contains("\"attempts\":2");

        // Failed before it ran (a viewer's session: resource-service refuses its start): Start as well.
        String refused = create("form refused", "e2e-form-viewer", "viewer");
        assertThat(env.suite.api("POST", "/sessions/" + refused + "/start", null).statusCode()).isEqualTo(403);
        page.navigate("/sessions/" + refused);
        assertThat(state).hasText("failed");
        assertThat(page.locator("button[data-action=start]")).isEnabled();
        assertThat(page.locator("button[data-action=resume]")).isDisabled();
        page.navigate("/");
    }

    /**
     * With more than one pool (here a second one made up by the test, as a cluster with a labelled GPU node has) the form
     * offers a Pool choice with what each has free; the session is created in the pool chosen and its page says which.
     * That pool does not exist in this suite: starting it is the gateway's 400 naming the pool, and it fails.
     */
    @Test
    @Order(6)
    void aSessionMadeInAChosenPoolSaysSoAndAnUnknownPoolIsA400AtStart() throws Exception {
        page.route("**/api/v1/resources", route -> route.fulfill(new Route.FulfillOptions().setStatus(200)
                .setContentType("application/json").setBody("{\"host\":null,\"pools\":["
                        + "{\"name\":\"local\",\"kind\":\"local\",\"free\":{\"cpuMillis\":2000,\"memoryMb\":4096,\"gpus\":0}},"
                        + "{\"name\":\"e2e-gpu\",\"kind\":\"kubernetes\",\"free\":{\"cpuMillis\":8000,\"memoryMb\":65536,\"gpus\":2}}]}")));
        try {
            openNewSession();
            Locator pool = page.locator("#f-pool");
            assertThat(pool.locator("option")).hasText(new String[]{"(default pool)", "local — free: 0 GPUs, 2 CPU",
                    "e2e-gpu — free: 2 GPUs, 8 CPU"});
            assertThat(pool).hasValue("");
            page.locator("#f-name").fill("form pool");
            pool.selectOption("e2e-gpu");
            page.locator("button[type=submit]").click();
            page.waitForURL(Pattern.compile(".*/sessions/[^/]+$"));
        } finally {
            page.unrouteAll();
        }
        Matcher m = Pattern.compile("/sessions/([^/?]+)").matcher(page.url());
        assertThat(m.find()).isTrue();
        String id = m.group(1);
        sessions.add(id);
        assertThat(creates.get(creates.size() - 1)).contains("\"pool\":\"e2e-gpu\"");
        assertThat(page.locator("[data-testid=session-pool]")).hasText("pool e2e-gpu");

        HttpResponse<String> start = env.suite.api("POST", "/sessions/" + id + "/start", null);
        assertThat(start.statusCode()).as(start.body()).isEqualTo(400);
        assertThat(start.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(start.body()).contains("unknown pool 'e2e-gpu'").contains("\"field\":\"pool\"");
        assertThat(env.suite.api("GET", "/sessions/" + id, null).body()).contains("\"state\":\"failed\"")
                .contains("\"pool\":\"e2e-gpu\"");
    }

    /** Deleting a session (and a checkpoint, the same dialog) asks first, in the page. */
    @Test
    @Order(7)
    void deletingASessionAsksFirst() throws Exception {
        String id = create("form delete me", "e2e-form", "researcher");
        page.navigate("/sessions/" + id);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete session")).click();
        Locator dialog = page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("Delete session form delete me?"));
        assertThat(dialog).containsText("cannot be undone");
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Cancel")).click();
        assertThat(dialog).hasCount(0);
        assertThat(env.suite.api("GET", "/sessions/" + id, null).statusCode()).isEqualTo(200);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete session")).click();
        page.locator("dialog[open] button[data-confirm=delete]").click();
        page.waitForURL(Pattern.compile(".*/$"));
        await().atMost(Duration.ofSeconds(10)).until(() -> env.suite.api("GET", "/sessions/" + id, null).statusCode() == 404);
    }

    @Test
    @Order(8)
    void noPageLoggedAConsoleError() {
        assertThat(console.errors).isEmpty();
    }

    /** A tiny model, no periodic checkpoints or evaluations: light on a small machine. */
    private static final String TINY = "{\"training\": {\"total_timesteps\": 5000000, \"steps_per_epoch\": 64, \"minibatch_size\": 32,"
            + " \"ppo_epochs\": 1, \"tower_width\": 16, \"tower_depth\": 1, \"checkpoint_interval_timesteps\": 1000000,"
            + " \"evaluation_interval_timesteps\": 1000000}, \"evaluation\": {\"enable_periodic_evaluation\": false}}";

    /** A session made through the API for an owner with a role (an admin may), cleaned up at the end. */
    private static String create(String name, String owner, String role) throws Exception {
        HttpResponse<String> created = env.suite.api("POST", "/sessions", "{\"name\":\"" + name + "\",\"template\":\"quick-cpu\","
                + "\"owner\":\"" + owner + "\",\"ownerRole\":\"" + role + "\",\"config\":" + TINY + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Matcher m = ID.matcher(created.body());
        assertThat(m.find()).isTrue();
        sessions.add(m.group(1));
        return m.group(1);
    }

    private static void openNewSession() {
        page.navigate("/new");
        page.locator("input[name=template][value=quick-cpu]").check();
        assertThat(page.locator("#f-name")).isVisible();
        assertThat(page.getByText("config is valid")).isVisible();
    }
}
