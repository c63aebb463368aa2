package io.keisei.e2e;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.ColorScheme;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Leaderboard and the game viewer against real evaluations of the built-in trainer: a paused tiny session's
 * checkpoint plays the random player and baseline:1 plays random, both filed through the page's form; the ratings
 * table shows random as the anchor at 0 and the model with its interval, and sorts; an evaluation that is still
 * playing is cancelled through the confirmation; a game replays ply by ply with the arrow keys, Home/End, the move
 * list and the slider, every position as the rules engine reported it; KIF, CSA and USI downloads; the session page
 * draws the rating against the step; a viewer sees everything but the form and the Cancel buttons.
 * The head-to-head matrix shows each pair's score from the row player's side and links to the pair's newest evaluation;
 * /leaderboard is a deep link to the same page; an evaluation filed elsewhere appears and completes on the page through
 * the live hub, and the evaluation page follows a running match's state and its live game.
 */
@ExtendWith(E2e.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardLeaderboardIT {

    private static E2e.Shared env;
    private static BrowserContext admin;
    private static Page page;
    private static final E2e.ConsoleErrors console = new E2e.ConsoleErrors();
    private static String sessionId;
    private static String modelId;
    private static String modelEvaluation;

    @BeforeAll
    static void aPausedSessionWithACheckpoint() throws Exception {
        env = E2e.shared();
        PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
        sessionId = env.suite.createSession("e2e leaderboard", KeiseiSuite.TINY_CONFIG);
        env.suite.startAndAwaitMetrics(sessionId);
        // A pause checkpoints and releases the session's CPU for the evaluations.
        env.suite.pauseAndAwait(sessionId);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> !models().isEmpty());
        modelId = models().stream().max(Comparator.comparingLong(m -> m.get("step").getAsLong())).orElseThrow().get("id").getAsString();

        admin = env.context(ColorScheme.LIGHT);
        admin.setDefaultTimeout(30_000);
        admin.addInitScript("localStorage.setItem('keisei.token', '" + env.suite.adminToken + "')");
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
            env.suite.api("DELETE", "/sessions/" + sessionId, null);
        }
    }

    @Test
    @Order(10)
    void evaluationsFiledThroughTheFormCompleteOnThePage() throws Exception {
        page.navigate("/models/leaderboard?session=" + sessionId);
        assertThat(page.locator("nav a[href='/models/leaderboard']")).hasAttribute("aria-current", "page");
        assertThat(page.locator("[data-testid=no-ratings]")).isVisible();
        Locator form = page.locator("[data-testid=evaluate-form]");
        assertThat(form.locator("#ev-session")).hasValue(sessionId);
        // The session's models are offered, the newest first, beside the fixed players.
        assertThat(form.locator("#ev-a option[value='" + modelId + "']")).hasCount(1);
        assertThat(form.locator("#ev-a")).hasValue(modelId);
        assertThat(form.locator("#ev-b")).hasValue("random");

        String first = file(modelId, "random", 4);
        String second = file("baseline:1", "random", 4);
        Locator rows = page.locator("[data-testid=evaluations] tbody tr");
        assertThat(rows.first()).hasAttribute("data-evaluation", second);
        assertThat(page.locator("[data-testid=filed]")).containsText("baseline:1 vs random");
        modelEvaluation = first;
        for (String id : List.of(first, second)) {
            Locator row = page.locator("tr[data-evaluation='" + id + "']");
            // Read again by the page itself until it ends.
            assertThat(row).hasAttribute("data-state", "completed", new LocatorAssertions.HasAttributeOptions().setTimeout(240_000));
            JsonObject e = json(env.suite.api("GET", "/evaluations/" + id, null).body());
            assertThat(e.get("session").getAsString()).isEqualTo(sessionId);
            assertThat(row.locator("td[data-col=score]")).hasText(e.get("aWins").getAsInt() + "–" + e.get("bWins").getAsInt() + "–"
                    + e.get("draws").getAsInt());
            assertThat(row.locator(".progress-cell")).containsText("4 games played");
            assertThat(row.locator("button[data-action=cancel]")).hasCount(0);
        }
        assertThat(page.locator("[data-testid=refreshing]")).hasText("");
        DashboardIT.shot(page, "leaderboard-filed");
    }

    @Test
    @Order(20)
    void theRatingsShowRandomAsTheAnchorAndTheModelWithItsInterval() throws Exception {
        Locator table = page.locator("[data-testid=ratings]");
        assertThat(table.locator("tbody tr")).hasCount(3);
        Locator random = table.locator("tr[data-player=random]");
        assertThat(random).hasAttribute("data-elo", "0");
        assertThat(random.locator("[data-testid=anchor]")).hasText("anchor");
        assertThat(random.locator("td[data-col=elo]")).hasText("0");
        assertThat(table.locator("[data-testid=anchor]")).hasCount(1);
        assertThat(table.locator("[data-testid=unanchored]")).hasCount(0);

        JsonArray ratings = JsonParser.parseString(env.suite.api("GET", "/evaluations/ratings?session=" + sessionId, null).body())
                .getAsJsonArray();
        JsonObject model = null;
        for (JsonElement r : ratings) {
            if (r.getAsJsonObject().get("player").getAsString().equals(modelId)) {
                model = r.getAsJsonObject();
            }
        }
        assertThat(model).as(ratings.toString()).isNotNull();
        Locator row = table.locator("tr[data-player='" + modelId + "']");
        Locator interval = row.locator("td[data-col=interval]");
        double lower = Double.parseDouble(interval.getAttribute("data-lower"));
        double upper = Double.parseDouble(interval.getAttribute("data-upper"));
        double elo = Double.parseDouble(row.getAttribute("data-elo"));
        assertThat(lower).isEqualTo(model.get("lower").getAsDouble()).isLessThan(elo);
        assertThat(upper).isEqualTo(model.get("upper").getAsDouble()).isGreaterThan(elo);
        assertThat(interval.locator(".ci-bar")).isVisible();
        assertThat(interval.locator(".ci-bar").boundingBox().width).isGreaterThan(2);
        assertThat(random.locator(".ci-bar")).hasCount(0);
        // The model's cell names its session and step and links to its details on the Models page.
        Locator link = row.locator("a.player");
        assertThat(link).containsText("e2e leaderboard · step " + String.format(java.util.Locale.US, "%,d", model.get("step").getAsLong()));
        assertThat(link).hasAttribute("href", "/models?session=" + sessionId + "&model=" + modelId);
        assertThat(row.locator("td[data-col=games]")).hasText(String.valueOf(model.get("games").getAsInt()));
        Locator baseline = table.locator("tr[data-player='baseline:1']");
        assertThat(baseline.locator("td[data-col=wins]")).hasText("4");
        assertThat(baseline.locator("td[data-col=losses]")).hasText("0");
        DashboardIT.shot(page, "leaderboard");
    }

    @Test
    @Order(25)
    void theHeadToHeadMatrixShowsEachPairFromTheRowPlayersSideAtTheLeaderboardsShortAddress() throws Exception {
        // /leaderboard is the same page (served index.html by the gateway), the nav entry marked current.
        page.navigate("/leaderboard?session=" + sessionId);
        assertThat(page.locator("nav a[href='/models/leaderboard']")).hasAttribute("aria-current", "page");
        assertThat(page.locator("#lb-scope")).hasValue(sessionId);
        assertThat(page.locator("[data-testid=ratings] tbody tr")).hasCount(3);
        Locator matrix = page.locator("[data-testid=head-to-head]");
        assertThat(matrix.locator("thead th[scope=col]")).hasCount(3);
        assertThat(matrix.locator("tbody th[scope=row]")).hasCount(3);
        // Players in the ratings table's order, on both axes.
        List<Object> order = list(page.locator("[data-testid=ratings] tbody tr").evaluateAll("(rs) => rs.map((r) => r.dataset.player)"));
        assertThat(list(matrix.locator("thead th[scope=col]").evaluateAll("(hs) => hs.map((h) => h.dataset.player)"))).isEqualTo(order);
        assertThat(list(matrix.locator("tbody tr").evaluateAll("(rs) => rs.map((r) => r.dataset.player)"))).isEqualTo(order);

        // The same counts as the API's; the model against random from both sides.
        JsonObject h2h = json(env.suite.api("GET", "/evaluations/head-to-head?session=" + sessionId, null).body());
        assertThat(h2h.getAsJsonArray("pairs")).hasSize(2);
        JsonObject pair = null;
        for (JsonElement p : h2h.getAsJsonArray("pairs")) {
            JsonObject o = p.getAsJsonObject();
            if (o.get("a").getAsString().equals(modelId) || o.get("b").getAsString().equals(modelId)) {
                pair = o;
            }
        }
        assertThat(pair).as(h2h.toString()).isNotNull();
        boolean modelIsA = pair.get("a").getAsString().equals(modelId);
        int w = pair.get(modelIsA ? "aWins" : "bWins").getAsInt();
        int d = pair.get("draws").getAsInt();
        int l = pair.get(modelIsA ? "bWins" : "aWins").getAsInt();
        assertThat(w + d + l).isEqualTo(4);
        assertThat(pair.get("latestEvaluation").getAsString()).isEqualTo(modelEvaluation);
        Locator modelVsRandom = matrix.locator("td[data-a='" + modelId + "'][data-b=random]");
        assertThat(modelVsRandom).hasAttribute("data-wdl", w + "-" + d + "-" + l);
        int pct = (int) Math.round((w + d / 2.0) / 4 * 100);
        assertThat(modelVsRandom).hasText(pct + "%");
        assertThat(modelVsRandom).hasAttribute("title", Pattern.compile(".*" + w + " W – " + d + " D – " + l + " L in 4 games of 1 evaluation$"));
        assertThat(matrix.locator("td[data-a=random][data-b='" + modelId + "']")).hasAttribute("data-wdl", l + "-" + d + "-" + w);
        assertThat(matrix.locator("td[data-a='baseline:1'][data-b=random]")).hasAttribute("data-wdl", "4-0-0");
        assertThat(matrix.locator("td[data-a='baseline:1'][data-b=random]")).hasText("100%");
        // Never met, and a player against itself: empty cells, said so to screen readers.
        assertThat(matrix.locator("td[data-a='" + modelId + "'][data-b='baseline:1']")).hasClass(Pattern.compile(".*\\bh2h-none\\b.*"));
        assertThat(matrix.locator("td[data-a='" + modelId + "'][data-b='baseline:1'] a")).hasCount(0);
        assertThat(matrix.locator("td.h2h-self")).hasCount(3);
        // Coloured by the score: a won pair and a lost one differ.
        Object colours = page.evaluate("() => ['td[data-a=\"baseline:1\"][data-b=random]', 'td[data-a=random][data-b=\"baseline:1\"]']"
                + ".map((q) => getComputedStyle(document.querySelector('[data-testid=head-to-head] ' + q)).backgroundColor)");
        assertThat(list(colours).get(0)).isNotEqualTo(list(colours).get(1));
        // A cell opens the pair's newest evaluation.
        modelVsRandom.locator("a").click();
        page.waitForURL("**/models/evaluations/" + modelEvaluation);
        assertThat(page.locator("[data-testid=games] tbody tr")).hasCount(4);
        page.goBack();
        assertThat(page.locator("[data-testid=head-to-head]")).isVisible();
        DashboardIT.shot(page, "leaderboard-head-to-head");

        // The page's own arithmetic, with a pair the short matches do not produce.
        Object checked = page.evaluate("() => import('/app/pages/leaderboard.js').then(({headToHeadMatrix}) => {"
                + " const h = {pairs: [{a: 'a', b: 'b', aWins: 3, draws: 2, bWins: 5, games: 10, evaluations: 2, latestEvaluation: 'e2'}]};"
                + " const m = headToHeadMatrix(h, ['b', 'a', 'c']);"
                + " return [m[0][1].wins, m[0][1].losses, m[0][1].score, m[1][0].score, m[0][0], m[0][2], m[1][0].latest].join(','); })");
        assertThat(checked).isEqualTo("5,3,0.6,0.4,,,e2");

        // Bad input is a field error.
        HttpResponse<String> bad = env.suite.api("GET", "/evaluations/head-to-head?session=" + "x".repeat(129), null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"session\"");
        page.navigate("/models/leaderboard?session=" + sessionId);
    }

    @Test
    @Order(30)
    void theColumnsSortBothWaysAndTheOrderIsKeptInTheAddress() {
        Locator elo = page.locator("th[data-col=elo]");
        assertThat(elo).hasAttribute("aria-sort", "descending");
        assertThat(elos()).isSortedAccordingTo(Comparator.reverseOrder());

        elo.locator("button.sort").click();
        page.waitForURL(Pattern.compile(".*[?&]sort=elo&dir=asc.*"));
        assertThat(elo).hasAttribute("aria-sort", "ascending");
        assertThat(elos()).isSorted();
        assertThat(page.locator("[data-testid=ratings] tbody tr").first()).not().hasAttribute("data-player", "baseline:1");

        Locator games = page.locator("th[data-col=games]");
        games.locator("button.sort").click();
        page.waitForURL(Pattern.compile(".*[?&]sort=games&dir=desc.*"));
        assertThat(games).hasAttribute("aria-sort", "descending");
        assertThat(elo).not().hasAttribute("aria-sort", Pattern.compile(".*"));
        assertThat(ints("games")).isSortedAccordingTo(Comparator.reverseOrder());
        // random played both evaluations: 8 games.
        assertThat(page.locator("[data-testid=ratings] tbody tr").first()).hasAttribute("data-player", "random");

        Locator player = page.locator("th[data-col=player]");
        player.locator("button.sort").click();
        page.waitForURL(Pattern.compile(".*[?&]sort=player&dir=asc.*"));
        List<String> names = page.locator("[data-testid=ratings] td[data-col=player] .player").allTextContents().stream()
                .map(s -> s.strip().toLowerCase(java.util.Locale.ROOT)).toList();
        assertThat(names).isSorted();

        page.reload();
        assertThat(page.locator("th[data-col=player]")).hasAttribute("aria-sort", "ascending");
        assertThat(page.locator("[data-testid=ratings] tbody tr")).hasCount(3);
        page.locator("th[data-col=elo] button.sort").click();
        page.waitForURL(Pattern.compile(".*/models/leaderboard\\?session=" + sessionId + "$"));
        assertThat(elos()).isSortedAccordingTo(Comparator.reverseOrder());

        // All sessions: the same players at least (other tests' evaluations may add some), the scope in the address.
        page.locator("#lb-scope").selectOption("");
        page.waitForURL(Pattern.compile(".*/models/leaderboard$"));
        assertThat(page.locator("[data-testid=ratings] tr[data-player='" + modelId + "']")).isVisible();
        assertThat(page.locator("[data-testid=ratings] tr[data-player=random]")).hasAttribute("data-elo", "0");
        assertThat(page.locator("[data-testid=evaluate-form] #ev-session")).hasValue(sessionId);
        page.locator("#lb-scope").selectOption(sessionId);
        page.waitForURL(Pattern.compile(".*/models/leaderboard\\?session=" + sessionId + "$"));
        assertThat(page.locator("[data-testid=ratings] tbody tr")).hasCount(3);

        // The page's own ordering and scale, with values the short matches do not produce.
        Object checked = page.evaluate("() => import('/app/pages/leaderboard.js').then(({sortRatings, barScale}) => {"
                + " const r = (player, elo, games, lower, upper) => ({player, elo, games, wins: 0, draws: 0, losses: 0, lower, upper});"
                + " const all = [r('a', 100, 10, 50, 150), r('b', 100, 20, 80, 120), r('random', 0, 30, 0, 0), r('c', -40, 20, -90, 10)];"
                + " const s = barScale(all);"
                + " return [sortRatings(all, 'elo', 'desc').map((x) => x.player).join(','), sortRatings(all, 'games', 'asc').map((x) => x.player).join(','),"
                + "   s.lo < -90 && s.hi > 150].join(' | '); })");
        assertThat(checked).isEqualTo("a,b,random,c | a,b,c,random | true");
    }

    @Test
    @Order(40)
    void aRunningEvaluationIsCancelledAfterTheConfirmation() throws Exception {
        // Deep enough to take minutes: still going when the page cancels it.
        String id = file("baseline:3", "baseline:2", 2000);
        Locator row = page.locator("tr[data-evaluation='" + id + "']");
        assertThat(row).hasAttribute("data-state", Pattern.compile("queued|running"));
        assertThat(row.locator(".progress-cell")).containsText(Pattern.compile("waiting for resources|playing 2,000 games"));
        assertThat(page.locator("[data-testid=refreshing]")).not().hasText("");
        row.locator("button[data-action=cancel]").click();
        Locator dialog = page.locator("[data-testid=cancel-evaluation-confirm]");
        assertThat(dialog).isVisible();
        // Dismissed: nothing happens.
        dialog.locator("button[value=cancel]").click();
        assertThat(dialog).hasCount(0);
        assertThat(row).hasAttribute("data-state", Pattern.compile("queued|running"));
        row.locator("button[data-action=cancel]").click();
        page.locator("[data-confirm=cancel-evaluation]").click();
        assertThat(row).hasAttribute("data-state", "cancelled");
        assertThat(row.locator("button[data-action=cancel]")).hasCount(0);
        assertThat(json(env.suite.api("GET", "/evaluations/" + id, null).body()).get("state").getAsString()).isEqualTo("cancelled");
        // A cancelled match adds no games: the ratings are as they were.
        assertThat(page.locator("[data-testid=ratings] tbody tr")).hasCount(3);
    }

    @Test
    @Order(45)
    void anEvaluationFiledElsewhereAppearsAndCompletesThroughTheLiveHub() throws Exception {
        page.navigate("/models/leaderboard?session=" + sessionId);
        assertThat(page.locator("[data-testid=evaluations] tbody tr").first()).isVisible();
        // Nothing active: the page polls nothing, so only the hub can tell it of a new evaluation.
        assertThat(page.locator("[data-testid=refreshing]")).hasText("");
        await().atMost(Duration.ofSeconds(20)).until(() -> "open".equals(page.evaluate("() => import('/app/live.js').then(({live}) => live.state)")));
        String before = page.locator("td[data-a='baseline:1'][data-b=random]").getAttribute("data-wdl");
        assertThat(before).isEqualTo("4-0-0");
        String id = json(env.suite.api("POST", "/evaluations", "{\"playerA\":\"baseline:1\",\"playerB\":\"random\",\"games\":2,"
                + "\"session\":\"" + sessionId + "\"}").body()).get("id").getAsString();
        Locator row = page.locator("tr[data-evaluation='" + id + "']");
        assertThat(row).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(10_000));
        assertThat(row).hasAttribute("data-state", "completed", new LocatorAssertions.HasAttributeOptions().setTimeout(120_000));
        // Its games reach the ratings and the matrix without a reload.
        Locator cell = page.locator("[data-testid=head-to-head] td[data-a='baseline:1'][data-b=random]");
        assertThat(cell).hasAttribute("data-wdl", Pattern.compile("\\d+-\\d+-\\d+"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String[] wdl = cell.getAttribute("data-wdl").split("-");
            assertThat(Integer.parseInt(wdl[0]) + Integer.parseInt(wdl[1]) + Integer.parseInt(wdl[2])).isEqualTo(6);
        });
        assertThat(page.locator("[data-testid=ratings] tr[data-player='baseline:1'] td[data-col=games]")).hasText("6");
    }

    @Test
    @Order(47)
    void theEvaluationPageFollowsARunningMatchLive() throws Exception {
        String id = json(env.suite.api("POST", "/evaluations", "{\"playerA\":\"baseline:3\",\"playerB\":\"baseline:2\",\"games\":2000,"
                + "\"session\":\"" + sessionId + "\"}").body()).get("id").getAsString();
        try {
            page.navigate("/models/evaluations/" + id);
            Locator state = page.locator("[data-testid=evaluation-state]");
            assertThat(state).containsText(Pattern.compile("queued|running"));
            // Filed under the session: its games are published, and the page shows the one being played.
            Locator board = page.locator("[data-testid=live-game] shogi-board");
            assertThat(board).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(120_000));
            assertThat(state).containsText("running");
            assertThat(page.locator("[data-testid=live-game-index]")).containsText("of 2,000");
            DashboardIT.shot(page, "evaluation-live-game");
            // Cancelled elsewhere: the page hears it at once (its own reads are 15 s apart while the hub is open).
            env.suite.api("POST", "/evaluations/" + id + "/cancel", null);
            assertThat(state).containsText("cancelled", new LocatorAssertions.ContainsTextOptions().setTimeout(10_000));
            assertThat(page.locator("[data-testid=live-game]")).hasCount(0);
        } finally {
            env.suite.api("POST", "/evaluations/" + id + "/cancel", null);
            // The next tests start from the leaderboard.
            page.navigate("/models/leaderboard?session=" + sessionId);
        }
    }

    @Test
    @Order(50)
    void aGameReplaysPlyByPlyAsTheRulesEnginePlayedIt() throws Exception {
        page.locator("tr[data-evaluation='" + modelEvaluation + "'] a[data-action=games]").click();
        page.waitForURL("**/models/evaluations/" + modelEvaluation);
        assertThat(page.locator("nav a[href='/models/leaderboard']")).hasAttribute("aria-current", "page");
        JsonArray games = JsonParser.parseString(env.suite.api("GET", "/evaluations/" + modelEvaluation + "/games", null).body())
                .getAsJsonArray();
        assertThat(games).hasSize(4);
        assertThat(page.locator("[data-testid=games] tbody tr")).hasCount(4);
        // The longest game: the most to step through.
        JsonObject game = null;
        for (JsonElement g : games) {
            if (game == null || g.getAsJsonObject().get("plies").getAsInt() > game.get("plies").getAsInt()) {
                game = g.getAsJsonObject();
            }
        }
        int index = game.get("index").getAsInt();
        int plies = game.get("plies").getAsInt();
        assertThat(plies).isGreaterThan(3);
        Locator gameRow = page.locator("[data-testid=games] tr[data-game='" + index + "']");
        assertThat(gameRow.locator("td").nth(5)).hasText(String.format(java.util.Locale.US, "%,d", plies));
        gameRow.locator("button[data-action=replay]").click();

        Locator viewer = page.locator("[data-testid=game-viewer]");
        Locator ply = viewer.locator("[data-testid=ply]");
        Locator board = viewer.locator("shogi-board");
        assertThat(ply).hasText("0");
        assertThat(viewer.locator("[data-testid=plies]")).hasText(String.valueOf(plies));
        assertThat(board.locator(".piece")).hasCount(40);
        String start = sfen(board);
        page.keyboard().press("ArrowRight");
        assertThat(ply).hasText("1");
        assertThat(board).hasAttribute("data-ply", "1");
        String afterOne = sfen(board);
        assertThat(afterOne).isNotEqualTo(start);
        assertThat(board.locator("rect.last-to")).hasCount(1);
        page.keyboard().press("ArrowRight");
        assertThat(ply).hasText("2");
        page.keyboard().press("ArrowLeft");
        assertThat(ply).hasText("1");
        assertThat(sfen(board)).isEqualTo(afterOne);
        page.keyboard().press("End");
        assertThat(ply).hasText(String.valueOf(plies));
        page.waitForURL(Pattern.compile(".*[?&]game=" + index + "&ply=" + plies + "$"));
        page.keyboard().press("ArrowRight");
        assertThat(ply).hasText(String.valueOf(plies));
        String last = sfen(board);
        page.keyboard().press("Home");
        assertThat(ply).hasText("0");
        assertThat(sfen(board)).isEqualTo(start);
        // The move list and the slider jump.
        viewer.locator(".moves li[data-ply='3']").click();
        assertThat(ply).hasText("3");
        assertThat(viewer.locator(".moves li.current")).hasAttribute("data-ply", "3");
        viewer.locator("#gv-ply").fill(String.valueOf(plies - 1));
        assertThat(ply).hasText(String.valueOf(plies - 1));
        // A reload shows the same game and ply.
        page.reload();
        assertThat(page.locator("[data-testid=game-viewer] [data-testid=ply]")).hasText(String.valueOf(plies - 1));
        page.keyboard().press("End");
        assertThat(page.locator("[data-testid=game-viewer] [data-testid=ply]")).hasText(String.valueOf(plies));
        assertThat(sfen(page.locator("[data-testid=game-viewer] shogi-board"))).isEqualTo(last);
        DashboardIT.shot(page, "game-viewer");

        // Every position of the page's replay holds 40 pieces and every move fits it (the mover's piece on the
        // from-square, a drop from the hand onto an empty square, nothing of one's own captured).
        Object problems = page.evaluate("(g) => import('/app/shogi.js').then(({replay, parseSquare}) => {"
                + " const r = replay(g.moves, g.startSfen); const out = [];"
                + " if (r.positions.length !== g.moves.length + 1) out.push('replayed ' + (r.positions.length - 1) + ' of ' + g.moves.length);"
                + " r.positions.forEach((p, i) => {"
                + "   const n = p.board.filter(Boolean).length + Object.values(p.hands.b).reduce((a, b) => a + b, 0) + Object.values(p.hands.w).reduce((a, b) => a + b, 0);"
                + "   if (n !== 40) out.push('ply ' + i + ': ' + n + ' pieces');"
                + "   const m = g.moves[i]; if (!m || i >= r.positions.length - 1) return;"
                + "   const black = p.side === 'b'; const to = p.board[parseSquare(m.slice(2, 4))];"
                + "   if (m[1] === '*') { if (to || !(p.hands[p.side][m[0]] > 0)) out.push('bad drop ' + m + ' at ' + i); return; }"
                + "   const from = p.board[parseSquare(m.slice(0, 2))];"
                + "   if (!from || from.black !== black) out.push('not the mover\\'s piece ' + m + ' at ' + i);"
                + "   if (to && to.black === black) out.push('captures its own ' + m + ' at ' + i);"
                + "   if (to && to.type === 'K') out.push('captures a king ' + m + ' at ' + i);"
                + " }); return out; })", gson(game));
        assertThat(list(problems)).isEmpty();

        // The positions the trainer published while it played (keisei:games, stored by metrics-service) agree.
        HttpResponse<String> published = env.suite.api("GET", "/sessions/" + sessionId + "/games/eval:" + modelEvaluation + ":" + index, null);
        if (published.statusCode() == 200) {
            JsonObject state = json(published.body());
            assertThat(position(state.get("sfen").getAsString())).as("the final position").isEqualTo(position(last));
            Object mismatches = page.evaluate("([g, positions]) => Promise.all([import('/app/shogi.js'), import('/app/board.js')])"
                    + ".then(([{replay}, {toSfen}]) => { const r = replay(g.moves, g.startSfen);"
                    + " const cut = (s) => s.split(' ').slice(0, 3).join(' ');"
                    + " return positions.filter((p) => !r.positions[p.ply] || cut(toSfen(r.positions[p.ply])) !== cut(p.sfen)).map((p) => p.ply); })",
                    List.of(gson(game), gson(state.get("positions") == null ? new JsonArray() : state.get("positions"))));
            assertThat(list(mismatches)).as("plies whose published position differs").isEmpty();
        } else {
            System.out.println("DashboardLeaderboardIT: the published game is not stored (" + published.statusCode() + "); checked the replay alone");
        }
    }

    @Test
    @Order(60)
    void theGameDownloadsAsKifCsaAndUsi() throws Exception {
        Locator viewer = page.locator("[data-testid=game-viewer]");
        int index = Integer.parseInt(viewer.getAttribute("data-game"));
        JsonObject game = json(env.suite.api("GET", "/evaluations/" + modelEvaluation + "/games/" + index, null).body());
        int plies = game.get("plies").getAsInt();
        List<String> moves = new ArrayList<>();
        game.getAsJsonArray("moves").forEach(m -> moves.add(m.getAsString()));

        Download usi = page.waitForDownload(() -> viewer.locator("button[data-export=usi]").click());
        assertThat(usi.suggestedFilename()).isEqualTo(modelEvaluation + "-game" + (index + 1) + ".usi");
        String usiText = read(usi).strip();
        assertThat(usiText).startsWith("position sfen " + game.get("startSfen").getAsString().strip() + " moves ");
        assertThat(usiText.lines().count()).isEqualTo(1);
        assertThat(usiText.substring(usiText.indexOf(" moves ") + 7).split(" ")).hasSize(plies).containsExactlyElementsOf(moves);

        Download kif = page.waitForDownload(() -> viewer.locator("button[data-export=kif]").click());
        assertThat(kif.suggestedFilename()).endsWith(".kifu");
        String kifText = read(kif);
        assertThat(kifText).startsWith("#KIF version=2.0 encoding=UTF-8\n");
        assertThat(kifText).contains("手合割：平手\n").contains("手数----指手---------消費時間--\n");
        List<String> kifMoves = kifText.lines().filter(l -> l.matches(" *\\d+ .*")).toList();
        // One line per move and the ending (詰み, 投了, 持将棋, ...).
        assertThat(kifMoves).hasSize(plies + 1);
        for (int i = 0; i < plies; i++) {
            String m = moves.get(i);
            String line = kifMoves.get(i);
            assertThat(line).as("KIF move %d (%s)", i + 1, m).matches(String.format("%4d ", i + 1)
                    + "([１-９][一二三四五六七八九]|同　)(歩|香|桂|銀|金|角|飛|玉|と|成香|成桂|成銀|馬|龍)"
                    + (m.charAt(1) == '*' ? "打" : (m.endsWith("+") ? "成" : "(不成)?") + "\\(" + m.charAt(0) + (m.charAt(1) - 'a' + 1) + "\\)"));
        }
        assertThat(kifText.strip()).containsPattern("まで" + plies + "手で.+$");

        Download csa = page.waitForDownload(() -> viewer.locator("button[data-export=csa]").click());
        assertThat(csa.suggestedFilename()).endsWith(".csa");
        String csaText = read(csa);
        assertThat(csaText).startsWith("V2.2\n");
        assertThat(csaText).contains("\nP1-KY-KE-GI-KI-OU-KI-GI-KE-KY\n").contains("\nP9+KY+KE+GI+KI+OU+KI+GI+KE+KY\n");
        List<String> csaMoves = csaText.lines().filter(l -> l.matches("[+-]\\d{4}[A-Z]{2}")).toList();
        assertThat(csaMoves).hasSize(plies);
        for (int i = 0; i < plies; i++) {
            String m = moves.get(i);
            String from = m.charAt(1) == '*' ? "00" : "" + m.charAt(0) + (m.charAt(1) - 'a' + 1);
            assertThat(csaMoves.get(i)).as("CSA move %d (%s)", i + 1, m)
                    .startsWith((i % 2 == 0 ? "+" : "-") + from + m.charAt(2) + (m.charAt(3) - 'a' + 1));
        }
        assertThat(csaText.strip()).containsPattern("\n%[A-Z_+-]+$");
    }

    @Test
    @Order(70)
    void theSessionPageDrawsTheRatingAgainstTheStep() {
        page.navigate("/sessions/" + sessionId);
        Locator panel = page.locator("[data-testid=rating-chart]");
        assertThat(panel).isVisible();
        assertThat(panel).containsText("1 rated");
        Locator chart = panel.locator("metric-chart[data-rating]");
        assertThat(chart).hasAttribute("data-points", "1");
        // One point: its interval is an error bar (a band needs two).
        assertThat(chart).hasAttribute("data-error-bars", "1");
        assertThat(panel.locator("a[href='/models/leaderboard?session=" + sessionId + "']")).isVisible();
        DashboardIT.shot(page, "session-rating");
    }

    @Test
    @Order(80)
    void aViewerSeesTheRatingsButNoFormAndNoCancel() throws Exception {
        HttpResponse<String> created = env.suite.api("POST", "/auth/tokens",
                "{\"name\":\"e2e leaderboard viewer\",\"owner\":\"e2e-lb-viewer\",\"role\":\"viewer\"}");
        assertThat(created.statusCode()).as(created.body()).isIn(200, 201);
        Matcher m = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"").matcher(created.body());
        assertThat(m.find()).as(created.body()).isTrue();
        // A queued or running one, which the admin could cancel and the viewer cannot.
        String running = json(env.suite.api("POST", "/evaluations", "{\"playerA\":\"baseline:3\",\"playerB\":\"baseline:2\",\"games\":2000,"
                + "\"session\":\"" + sessionId + "\"}").body()).get("id").getAsString();
        try (BrowserContext viewer = env.browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844)
                .setColorScheme(ColorScheme.DARK).setBaseURL(env.suite.baseUrl))) {
            viewer.setDefaultTimeout(30_000);
            viewer.addInitScript("localStorage.setItem('keisei.token', '" + m.group(1) + "')");
            Page v = viewer.newPage();
            console.watch(v);
            v.navigate("/models/leaderboard?session=" + sessionId);
            assertThat(v.locator("[data-testid=ratings] tbody tr")).hasCount(3);
            assertThat(v.locator("tr[data-evaluation='" + running + "']")).isVisible();
            assertThat(v.locator("[data-testid=evaluate-form]")).hasCount(0);
            assertThat(v.locator("button[data-action=cancel]")).hasCount(0);
            assertThat(v.locator("tr[data-evaluation='" + modelEvaluation + "'] a[data-action=games]")).isVisible();
            // The matrix is there for viewers too; at 390 px it scrolls inside its panel, not the page.
            assertThat(v.locator("[data-testid=head-to-head] td.h2h-cell").first()).isVisible();
            Object sideways = v.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth");
            assertThat(sideways).as("no sideways scrolling at 390 px").isEqualTo(true);
            DashboardIT.shot(v, "leaderboard-viewer-390-dark");
            v.navigate("/models/evaluations/" + modelEvaluation + "?game=0");
            assertThat(v.locator("[data-testid=game-viewer] shogi-board .piece")).hasCount(40);
            assertThat(v.locator("[data-testid=game-viewer] [data-testid=ply]")).hasText("0");
            sideways = v.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth");
            assertThat(sideways).as("no sideways scrolling at 390 px").isEqualTo(true);
            DashboardIT.shot(v, "game-viewer-390-dark");
        } finally {
            env.suite.api("POST", "/evaluations/" + running + "/cancel", null);
        }
    }

    @Test
    @Order(90)
    void noPageLoggedAConsoleError() {
        assertThat(console.errors).isEmpty();
    }

    /** Files an evaluation through the form; answers its id (the row the page adds at the top). */
    private static String file(String a, String b, int games) {
        Locator form = page.locator("[data-testid=evaluate-form]");
        form.locator("#ev-a").selectOption(a);
        form.locator("#ev-b").selectOption(b);
        form.locator("#ev-games").fill(String.valueOf(games));
        String before = page.locator("[data-testid=evaluations] tbody tr").count() == 0 ? ""
                : page.locator("[data-testid=evaluations] tbody tr").first().getAttribute("data-evaluation");
        form.locator("button[data-action=evaluate]").click();
        Locator top = page.locator("[data-testid=evaluations] tbody tr").first();
        assertThat(top).not().hasAttribute("data-evaluation", before == null ? "" : before);
        assertThat(top).hasAttribute("data-new", "");
        return top.getAttribute("data-evaluation");
    }

    private static String sfen(Locator board) {
        return (String) board.evaluate("(b) => b.sfen");
    }

    /** An SFEN without its move number. */
    private static String position(String sfen) {
        String[] parts = sfen.strip().split("\\s+");
        return parts[0] + " " + parts[1] + " " + parts[2];
    }

    private static String read(Download d) throws Exception {
        return Files.readString(d.path(), StandardCharsets.UTF_8);
    }

    private static Object gson(JsonElement e) {
        return new com.google.gson.Gson().fromJson(e, Object.class);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object evaluated) {
        return evaluated == null ? List.of() : new ArrayList<>((List<Object>) evaluated);
    }

    private List<Double> elos() {
        return list(page.locator("[data-testid=ratings] tbody tr").evaluateAll("(rs) => rs.map((r) => Number(r.dataset.elo))"))
                .stream().map(n -> ((Number) n).doubleValue()).toList();
    }

    private List<Integer> ints(String col) {
        return list(page.locator("[data-testid=ratings] td[data-col=" + col + "]").evaluateAll(
                "(cs) => cs.map((c) => Number(c.textContent.replace(/,/g, '')))")).stream().map(n -> ((Number) n).intValue()).toList();
    }

    private static JsonObject json(String body) {
        return JsonParser.parseString(body).getAsJsonObject();
    }

    private static List<JsonObject> models() throws Exception {
        JsonObject p = json(env.suite.api("GET", "/models?session=" + sessionId + "&size=200", null).body());
        List<JsonObject> items = new ArrayList<>();
        p.getAsJsonArray("items").forEach(e -> items.add(e.getAsJsonObject()));
        return items;
    }
}
