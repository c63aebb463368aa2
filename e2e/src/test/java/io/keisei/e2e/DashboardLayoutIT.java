package io.keisei.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.BoundingBox;
import com.microsoft.playwright.options.ColorScheme;
import com.microsoft.playwright.options.SelectOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard on a phone (390x844, light and dark): no page scrolls sideways, the navigation folds into a
 * menu, tables scroll inside their panels, page columns stack; and the small things of the same round: the
 * overview's state filter lives in the URL, no navigation entry is current on a session page, toasts come and
 * go without moving the page, the game id is shown whole, the system meters name their node, CPU is said in
 * cores. A session that has run briefly (so that it has a stored game) is created for it and deleted after.
 */
@ExtendWith(E2e.class)
class DashboardLayoutIT {

    static final int WIDTH = 390;
    static final int HEIGHT = 844;
    /** Each page and the name of the performance mark it sets when it first shows its data. */
    static final List<String[]> PAGES = List.of(new String[] {"/", "overview"}, new String[] {"/new", "new"},
            new String[] {"/models", "models"}, new String[] {"/compare", "compare"}, new String[] {"/resources", "resources"});
    static final List<String> NAV = List.of("Overview", "New session", "Models", "Compare", "Resources");

    private static E2e.Shared env;
    private static String sessionId;
    private static String gameId;
    private static final E2e.ConsoleErrors console = new E2e.ConsoleErrors();

    @BeforeAll
    static void aSessionThatHasRunBriefly() throws Exception {
        env = E2e.shared();
        PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
        sessionId = env.suite.createSession("layout run", KeiseiSuite.TINY_CONFIG);
        env.suite.startAndAwaitMetrics(sessionId);
        Pattern game = Pattern.compile("\"gameId\"\\s*:\\s*\"([^\"]+)\"");
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() ->
                game.matcher(env.suite.api("GET", "/sessions/" + sessionId + "/games?limit=1", null).body()).find());
        // Paused: the pages are still and the session page shows the last stored game.
        env.suite.pauseAndAwait(sessionId);
        Matcher g = game.matcher(env.suite.api("GET", "/sessions/" + sessionId + "/games?limit=1", null).body());
        assertThat(g.find()).isTrue();
        gameId = g.group(1);
    }

    @AfterAll
    static void noConsoleErrorsThenDeleteTheSession() throws Exception {
        try {
            assertThat(console.errors).as("console errors of the pages").isEmpty();
        } finally {
            if (sessionId != null) {
                env.suite.api("DELETE", "/sessions/" + sessionId, null);
            }
        }
    }

    /** A signed-in browser context of the given size and colour scheme. */
    static BrowserContext context(int width, int height, ColorScheme scheme) {
        BrowserContext ctx = env.browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height)
                .setColorScheme(scheme).setBaseURL(env.suite.baseUrl));
        ctx.addInitScript("localStorage.setItem('keisei.token', '" + env.suite.adminToken + "')");
        ctx.setDefaultTimeout(30_000);
        return ctx;
    }

    static List<String[]> everyPage() {
        List<String[]> pages = new ArrayList<>(PAGES);
        pages.add(new String[] {"/sessions/" + sessionId, "session"});
        return pages;
    }

    /** Opens a page and waits until it shows its data (its keisei:rendered mark) and the layout has settled. */
    static void open(Page p, String path, String mark) {
        p.navigate(path);
        p.waitForFunction("(n) => performance.getEntriesByName(n).length > 0", "keisei:rendered:" + mark);
        p.evaluate("() => document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))");
    }

    @Test
    void noPageScrollsSidewaysOnAPhone() {
        for (ColorScheme scheme : List.of(ColorScheme.LIGHT, ColorScheme.DARK)) {
            try (BrowserContext ctx = context(WIDTH, HEIGHT, scheme)) {
                Page p = ctx.newPage();
                console.watch(p);
                List<String> wide = new ArrayList<>();
                for (String[] page : everyPage()) {
                    open(p, page[0], page[1]);
                    if (page[1].equals("session")) {
                        assertThat(p.locator("shogi-board .piece").first()).isVisible();
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) p.evaluate("() => ({scroll: document.documentElement.scrollWidth,"
                            + " inner: window.innerWidth, widest: [...document.querySelectorAll('body *')]"
                            + ".filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1"
                            + " && (!e.closest('.table-wrap') || /absolute|fixed/.test(getComputedStyle(e).position)))"
                            + ".slice(0, 4).map((e) => e.localName + '.' + e.className).join(' ')})");
                    if (((Number) m.get("scroll")).intValue() > ((Number) m.get("inner")).intValue()) {
                        wide.add(page[0] + " (" + scheme + "): scrollWidth " + m.get("scroll") + " > " + m.get("inner") + ", e.g. " + m.get("widest"));
                    }
                }
                assertThat(wide).as("pages that scroll sideways at %d px", WIDTH).isEmpty();
            }
        }
    }

    @Test
    void theMenuButtonOpensTheNavigationWithSignOutOnEveryPage() {
        for (ColorScheme scheme : List.of(ColorScheme.LIGHT, ColorScheme.DARK)) {
            try (BrowserContext ctx = context(WIDTH, HEIGHT, scheme)) {
                Page p = ctx.newPage();
                console.watch(p);
                for (String[] page : everyPage()) {
                    open(p, page[0], page[1]);
                    Locator menu = p.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Menu"));
                    assertThat(menu).isVisible();
                    assertThat(menu).hasAttribute("aria-expanded", "false");
                    assertThat(p.locator("#" + menu.getAttribute("aria-controls"))).isHidden();
                    assertInViewport(p.locator(".topbar .brand"), page[0] + " brand");
                    assertInViewport(menu, page[0] + " menu button");
                    assertThat(p.locator(".topbar").boundingBox().height).as("header height").isLessThanOrEqualTo(64);

                    menu.click();
                    assertThat(menu).hasAttribute("aria-expanded", "true");
                    Locator panel = p.locator("#" + menu.getAttribute("aria-controls"));
                    assertThat(panel).isVisible();
                    for (String entry : NAV) {
                        Locator link = p.locator("nav[aria-label=Main]").getByRole(AriaRole.LINK,
                                new Locator.GetByRoleOptions().setName(entry).setExact(true));
                        assertThat(link).isVisible();
                        assertInViewport(link, page[0] + " " + entry);
                    }
                    Locator signOut = p.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out"));
                    assertThat(signOut).isVisible();
                    assertInViewport(signOut, page[0] + " Sign out");
                    assertThat(p.locator(".topbar .conn")).isVisible();
                    assertInViewport(p.locator(".topbar .conn"), page[0] + " connection state");
                    // The panel is opaque: the page does not show through it (dark mode included).
                    String bg = (String) panel.evaluate("(e) => getComputedStyle(e).backgroundColor");
                    assertThat(bg).as("menu panel background").doesNotContain("rgba(0, 0, 0, 0)").isNotEqualTo("transparent");

                    p.keyboard().press("Escape");
                    assertThat(menu).hasAttribute("aria-expanded", "false");
                    assertThat(panel).isHidden();
                    assertThat(menu).isFocused();
                }
                // A link in the menu navigates and closes it.
                open(p, "/", "overview");
                Locator menu = p.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Menu"));
                menu.click();
                p.locator("nav[aria-label=Main] a[href='/models']").click();
                assertThat(p.locator("h1")).containsText("Models");
                assertThat(menu).hasAttribute("aria-expanded", "false");
                assertThat(p.locator("nav[aria-label=Main]")).isHidden();
            }
        }
    }

    @Test
    void onADesktopTheNavigationIsInTheHeaderWithoutAMenu() {
        try (BrowserContext ctx = context(1280, 800, ColorScheme.LIGHT)) {
            Page p = ctx.newPage();
            console.watch(p);
            open(p, "/", "overview");
            assertThat(p.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Menu"))).isHidden();
            for (String entry : NAV) {
                assertThat(p.locator("nav[aria-label=Main]").getByRole(AriaRole.LINK,
                        new Locator.GetByRoleOptions().setName(entry).setExact(true))).isVisible();
            }
            assertThat(p.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out"))).isVisible();
            assertThat(p.locator("nav a[aria-current=page]")).hasText("Overview");
        }
    }

    @Test
    void betweenPhoneAndDesktopTheHeaderStillHoldsEverything() {
        for (int width : new int[] {761, 820, 1024}) {
            try (BrowserContext ctx = context(width, 900, ColorScheme.DARK)) {
                Page p = ctx.newPage();
                console.watch(p);
                open(p, "/", "overview");
                assertThat(p.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Menu"))).isHidden();
                Locator nav = p.locator("nav[aria-label=Main]");
                for (String entry : NAV) {
                    assertInViewport(nav.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(entry).setExact(true)), width + " " + entry);
                }
                assertInViewport(p.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")), width + " Sign out");
                Object clipped = nav.evaluate("(e) => e.scrollWidth > e.clientWidth");
                assertThat(clipped).as("the navigation scrolls at %d px", width).isEqualTo(false);
                assertThat(p.locator(".topbar").boundingBox().height).isLessThanOrEqualTo(64);
                Object scroll = p.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth");
                assertThat(scroll).as("no sideways scrolling at %d px", width).isEqualTo(true);
            }
        }
    }

    @Test
    void tablesScrollInsideTheirPanelsAndTheColumnsStack() {
        try (BrowserContext ctx = context(WIDTH, HEIGHT, ColorScheme.LIGHT)) {
            Page p = ctx.newPage();
            console.watch(p);
            open(p, "/", "overview");
            Locator table = p.locator("table[data-testid=sessions]");
            assertThat(table.locator("tr[data-session='" + sessionId + "']")).isVisible();
            BoundingBox t = table.boundingBox();
            assertThat(t.width).as("sessions table width").isGreaterThan(300);
            Locator wrap = p.locator(".table-wrap:has(table[data-testid=sessions])");
            @SuppressWarnings("unchecked")
            Map<String, Object> w = (Map<String, Object>) wrap.evaluate("(e) => ({scroll: e.scrollWidth, client: e.clientWidth,"
                    + " overflow: getComputedStyle(e).overflowX, right: e.getBoundingClientRect().right})");
            assertThat(((Number) w.get("scroll")).intValue()).as("the table is wider than its wrap: it scrolls there")
                    .isGreaterThan(((Number) w.get("client")).intValue());
            assertThat(w.get("overflow")).isIn("auto", "scroll");
            assertThat(((Number) w.get("right")).doubleValue()).as("the wrap ends inside the viewport").isLessThanOrEqualTo(WIDTH);
            Object scrolled = wrap.evaluate("(e) => { e.scrollLeft = 100; return e.scrollLeft; }");
            assertThat(((Number) scrolled).intValue()).isPositive();
            // The system panel comes under the sessions, at full width.
            BoundingBox sessions = p.locator("section[aria-label=Sessions]").boundingBox();
            BoundingBox system = p.locator("section[aria-labelledby=sys-h]").boundingBox();
            assertThat(system.y).as("system panel below the sessions").isGreaterThanOrEqualTo(sessions.y + sessions.height);
            assertThat(system.width).isCloseTo(sessions.width, within(1.0));

            // Compare: the chart takes the full width.
            open(p, "/compare?sessions=" + sessionId + "&metric=ppo/policy_loss", "compare");
            Locator chart = p.locator("metric-chart").first();
            assertThat(chart).isVisible();
            assertThat(chart.boundingBox().width).as("compare chart width").isGreaterThan(WIDTH - 60);

            // New session: the changes panel comes after the form and covers nothing.
            open(p, "/new", "new");
            BoundingBox name = p.locator("#f-name").boundingBox();
            BoundingBox changes = p.locator("aside:has(h2)").first().boundingBox();
            assertThat(name.width).as("name field width").isGreaterThan(200);
            assertThat(changes.y).as("changes panel below the name field").isGreaterThanOrEqualTo(name.y + name.height);
            p.evaluate("() => new Promise((r) => { window.scrollBy(0, 600); requestAnimationFrame(() => requestAnimationFrame(r)); })");
            BoundingBox name2 = p.locator("#f-name").boundingBox();
            BoundingBox changes2 = p.locator("aside:has(h2)").first().boundingBox();
            boolean overlaps = changes2.y < name2.y + name2.height && name2.y < changes2.y + changes2.height;
            assertThat(overlaps).as("the changes panel over the name field after scrolling").isFalse();
        }
    }

    @Test
    void theOverviewStateFilterIsInTheUrl() {
        try (BrowserContext ctx = context(WIDTH, HEIGHT, ColorScheme.LIGHT)) {
            Page p = ctx.newPage();
            console.watch(p);
            open(p, "/", "overview");
            Locator filter = p.getByLabel("Filter by state");
            filter.selectOption("paused");
            p.waitForURL(Pattern.compile(".*/\\?state=paused$"));
            assertThat(p.locator("tr[data-session='" + sessionId + "']")).isVisible();
            p.reload();
            p.waitForFunction("(n) => performance.getEntriesByName(n).length > 0", "keisei:rendered:overview");
            assertThat(p.getByLabel("Filter by state")).hasValue("paused");
            assertThat(p.locator("tr[data-session='" + sessionId + "']")).isVisible();
            // Another state, then back in history: the filter follows the URL.
            open(p, "/?state=running", "overview");
            assertThat(p.getByLabel("Filter by state")).hasValue("running");
            assertThat(p.locator("tr[data-session='" + sessionId + "']")).hasCount(0);
            p.goBack();
            assertThat(p.getByLabel("Filter by state")).hasValue("paused");
            assertThat(p.locator("tr[data-session='" + sessionId + "']")).isVisible();
            p.getByLabel("Filter by state").selectOption(new SelectOption().setLabel("all"));
            p.waitForURL(Pattern.compile(".*/$"));
            // The row says what its time is.
            assertThat(p.locator("tr[data-session='" + sessionId + "'] td").first()).containsText(Pattern.compile("updated (just now|\\d+ (s|min|h) ago)"));
        }
    }

    @Test
    void onASessionPageNoNavigationEntryIsCurrent() {
        try (BrowserContext ctx = context(1280, 800, ColorScheme.LIGHT)) {
            Page p = ctx.newPage();
            console.watch(p);
            open(p, "/sessions/" + sessionId, "session");
            assertThat(p.locator("h1")).hasText("layout run");
            assertThat(p.locator("nav a[aria-current]")).hasCount(0);
            p.locator("nav a[href='/resources']").click();
            assertThat(p.locator("nav a[aria-current=page]")).hasText("Resources");
            p.goBack();
            assertThat(p.locator("h1")).hasText("layout run");
            assertThat(p.locator("nav a[aria-current]")).hasCount(0);
        }
    }

    @Test
    void aToastGoesByItselfAndMovesNothing() {
        for (int[] size : new int[][] {{WIDTH, HEIGHT}, {1280, 800}}) {
            try (BrowserContext ctx = context(size[0], size[1], ColorScheme.LIGHT)) {
                Page p = ctx.newPage();
                console.watch(p);
                open(p, "/sessions/" + sessionId, "session");
                Locator h1 = p.locator("h1");
                Locator board = p.locator("shogi-board");
                assertThat(p.locator("shogi-board .piece").first()).isVisible();
                assertThat(p.locator("[data-testid=checkpoints] tbody tr").first()).isVisible();
                double h1y = h1.boundingBox().y;
                double boardY = settledY(p, board);
                p.evaluate("() => import('/app/widgets.js').then((w) => { w.toast('Checkpoint saved at step 4,096');"
                        + " w.toast('Something failed', {kind: 'error', timeout: 0}); })");
                Locator saved = p.locator(".toast", new Page.LocatorOptions().setHasText("Checkpoint saved at step 4,096"));
                Locator failed = p.locator(".toast", new Page.LocatorOptions().setHasText("Something failed"));
                assertThat(saved).isVisible();
                assertThat(failed).isVisible();
                assertInViewport(saved, "toast");
                assertThat(p.locator("[aria-live]:has(.toast)")).hasCount(1);
                assertThat(h1.boundingBox().y).as("h1 while the toasts show").isCloseTo(h1y, within(0.5));
                assertThat(board.boundingBox().y).as("board while the toasts show").isCloseTo(boardY, within(0.5));
                // It leaves by itself (5 s by default); the sticky one when closed.
                assertThat(saved).hasCount(0, new LocatorAssertions.HasCountOptions().setTimeout(10_000));
                assertThat(failed).isVisible();
                failed.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Dismiss")).click();
                assertThat(failed).hasCount(0);
                assertThat(h1.boundingBox().y).as("h1 after the toasts").isCloseTo(h1y, within(0.5));
                assertThat(board.boundingBox().y).as("board after the toasts").isCloseTo(boardY, within(0.5));
            }
        }
    }

    @Test
    void theGameIdIsShownWhole() {
        for (int[] size : new int[][] {{WIDTH, HEIGHT}, {1280, 800}}) {
            try (BrowserContext ctx = context(size[0], size[1], ColorScheme.LIGHT)) {
                Page p = ctx.newPage();
                console.watch(p);
                open(p, "/sessions/" + sessionId, "session");
                Locator id = p.locator("shogi-game [data-testid=game-id]");
                assertThat(id).hasText(gameId);
                Object clipped = id.evaluate("(e) => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > window.innerWidth");
                assertThat(clipped).as("the game id is clipped").isEqualTo(false);
            }
        }
    }

    @Test
    void theSystemMetersNameTheirNodeAndCpuIsSaidInCores() {
        try (BrowserContext ctx = context(1280, 800, ColorScheme.LIGHT)) {
            Page p = ctx.newPage();
            console.watch(p);
            open(p, "/", "overview");
            assertThat(p.locator("system-meters [data-testid=node]")).containsText(Pattern.compile("^Node \\S+"));
            Object cpu = p.evaluate("() => import('/app/format.js').then((f) => [1000, 500, 250, 1500, 4000].map(f.fmtCpu).join(' | '))");
            assertThat(cpu).isEqualTo("1 CPU | 0.5 CPU | 0.25 CPU | 1.5 CPU | 4 CPU");
            open(p, "/resources", "resources");
            assertThat(p.locator("[data-testid=pools] tbody tr").first()).isVisible();
            assertThat(p.locator("main")).not().containsText(Pattern.compile("\\d+m CPU|\\d\\.0 CPU"));
        }
    }

    /** The element's y once the page has stopped moving it (late data: charts, checkpoints, the game). */
    static double settledY(Page p, Locator l) {
        double[] last = {Double.NaN};
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(400)).until(() -> {
            double y = l.boundingBox().y;
            boolean same = Math.abs(y - last[0]) < 0.5;
            last[0] = y;
            return same;
        });
        return last[0];
    }

    static void assertInViewport(Locator l, String what) {
        BoundingBox b = l.boundingBox();
        assertThat(b).as(what + " has a box").isNotNull();
        var vp = l.page().viewportSize();
        assertThat(b.x).as(what + " left").isGreaterThanOrEqualTo(0);
        assertThat(b.y).as(what + " top").isGreaterThanOrEqualTo(0);
        assertThat(b.x + b.width).as(what + " right").isLessThanOrEqualTo(vp.width + 0.5);
        assertThat(b.y + b.height).as(what + " bottom").isLessThanOrEqualTo(vp.height + 0.5);
    }
}
