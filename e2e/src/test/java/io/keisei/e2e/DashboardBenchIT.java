package io.keisei.e2e;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Browser performance of the dashboard, measured in headless Chromium: page load with an empty cache
 * (cold) and with a warm cache, client-side navigation between pages, and a chart update with 10,000
 * points. Times come from the page's own clock ({@code performance.now()} and the
 * {@code keisei:rendered:<page>} marks each page sets when it first shows its data), not from the test.
 *
 * <p>Not part of the normal build: run with {@code -Dkeisei.bench=true} (see bench/results). Writes
 * {@code e2e/target/bench-dashboard.md}.
 */
@ExtendWith(E2e.class)
class DashboardBenchIT {

    private static final int LOADS = 10;
    private static final int NAVIGATIONS = 10;
    private static E2e.Shared env;
    private static String sessionId;

    @BeforeAll
    static void onlyWhenAsked() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("keisei.bench"), "browser benchmark: run with -Dkeisei.bench=true");
        env = E2e.shared();
        sessionId = env.suite.createSession("bench run", KeiseiSuite.TINY_CONFIG);
        env.suite.startAndAwaitMetrics(sessionId);
        // Give the curves some history, then pause: the timings are the dashboard's, not a trainer's competing for the CPU.
        Thread.sleep(20_000);
        env.suite.pauseAndAwait(sessionId);
    }

    @Test
    void measure() throws Exception {
        Map<String, List<Double>> results = new LinkedHashMap<>();
        String init = "localStorage.setItem('keisei.token', '" + env.suite.adminToken + "')";

        // Cold: a new context (empty HTTP cache) per load.
        List<Double> cold = new ArrayList<>();
        for (int i = 0; i < LOADS; i++) {
            try (BrowserContext ctx = env.context(ColorScheme.LIGHT)) {
                ctx.addInitScript(init);
                Page p = ctx.newPage();
                p.navigate("/");
                cold.add(rendered(p, "overview", 0));
            }
        }
        results.put("dashboard load, cold cache (navigation start → sessions shown)", cold);

        try (BrowserContext ctx = env.context(ColorScheme.LIGHT)) {
            ctx.addInitScript(init);
            Page p = ctx.newPage();
            p.navigate("/");
            rendered(p, "overview", 0);
            List<Double> warm = new ArrayList<>();
            for (int i = 0; i < LOADS; i++) {
                p.reload();
                warm.add(rendered(p, "overview", 0));
            }
            results.put("dashboard load, warm cache (reload → sessions shown)", warm);

            // Client-side navigation: click a link, time until the new page shows its data.
            String[][] targets = {{"/models", "models"}, {"/resources", "resources"}, {"/compare", "compare"},
                    {"/sessions/" + sessionId, "session"}, {"/", "overview"}};
            List<Double> nav = new ArrayList<>();
            for (int i = 0; i < NAVIGATIONS; i++) {
                for (String[] t : targets) {
                    nav.add(navigate(p, t[0], t[1]));
                }
            }
            results.put("navigation between pages (click → data shown)", nav);

            // Chart updates with 10,000 points: setData + redraw (uPlot draws in a microtask).
            @SuppressWarnings("unchecked")
            Map<String, List<Number>> chart = (Map<String, List<Number>>) p.evaluate(CHART_BENCH);
            chart.forEach((k, v) -> results.put(k, v.stream().map(Number::doubleValue).toList()));
        }

        StringBuilder md = new StringBuilder("| measurement | n | p50 (ms) | p95 (ms) | max (ms) |\n| --- | ---: | ---: | ---: | ---: |\n");
        results.forEach((k, v) -> md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f |%n", k, v.size(),
                pct(v, 50), pct(v, 95), pct(v, 100))));
        System.out.println(md);
        Files.writeString(KeiseiSuite.OUTPUT.resolve("bench-dashboard.md"), md + "\nload average during the run: "
                + Files.readString(Path.of("/proc/loadavg")).strip() + "\n");
        env.suite.api("POST", "/sessions/" + sessionId + "/stop", null);
    }

    /** Time of the page's first render with data, relative to navigation start, or to {@code after}. */
    private static double rendered(Page p, String page, double after) {
        String name = "keisei:rendered:" + page;
        p.waitForFunction("([n, t]) => performance.getEntriesByName(n).some(e => e.startTime > t)", List.of(name, after));
        return ((Number) p.evaluate("([n, t]) => performance.getEntriesByName(n).filter(e => e.startTime > t).at(-1).startTime - t",
                List.of(name, after))).doubleValue();
    }

    private static double navigate(Page p, String href, String page) {
        double t0 = ((Number) p.evaluate("(href) => { const a = document.createElement('a'); a.href = href;"
                + " document.querySelector('main').append(a); const t = performance.now(); a.click(); a.remove(); return t; }", href))
                .doubleValue();
        return rendered(p, page, t0);
    }

    private static double pct(List<Double> v, int p) {
        List<Double> s = v.stream().sorted().toList();
        int i = (int) Math.ceil(p / 100.0 * s.size()) - 1;
        return s.get(Math.max(0, Math.min(s.size() - 1, i)));
    }

    /**
     * Each sample: from the call that hands the chart its data (one setData) until uPlot has drawn the canvas
     * (its draw hook), waiting for the frame in case drawing is deferred to it.
     */
    private static final String CHART_BENCH = """
            async () => {
              const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
              const el = document.createElement('metric-chart');
              el.heading = 'bench';
              el.metrics = [{name: 'm', label: 'm'}];
              el.style.width = '600px';
              document.querySelector('main').append(el);
              await el.updateComplete;
              await frame();
              const raw = [];
              const buckets = [];
              for (let i = 0; i < 10000; i++) {
                const v = Math.sin(i / 300) + Math.random() * 0.2;
                raw.push([i * 64, v]);
                buckets.push([i * 64, i * 64 + 63, v - 0.3, v + 0.3, v, 64]);
              }
              const RAW = 'chart: replace 10,000 raw points (setData → drawn)';
              const BANDS = 'chart: replace 10,000 buckets with min/max band (setData → drawn)';
              const LIVE = 'chart: append 1 live point to 10,000 (setData → drawn)';
              const RAW_S = 'chart: replace 10,000 raw points, smoothing 0.6 (setData → drawn)';
              const BANDS_S = 'chart: replace 10,000 buckets with min/max band, smoothing 0.6 (setData → drawn)';
              const LIVE_S = 'chart: append 1 live point to 10,000, smoothing 0.6 (setData → drawn)';
              const out = {[RAW]: [], [BANDS]: [], [LIVE]: [], [RAW_S]: [], [BANDS_S]: [], [LIVE_S]: []};
              const time = async (list) => {
                const t = performance.now();
                el.flush();
                await frame();
                if (el.drawnAt > t) list.push(el.drawnAt - t);
              };
              for (let k = 0; k < 60; k++) {
                el.setHistory([{metric: 'm', resolution: 'raw', points: raw}]);
                await time(out[RAW]);
                el.setHistory([{metric: 'm', resolution: 'buckets', bucketSteps: 64, buckets}]);
                await time(out[BANDS]);
              }
              el.setHistory([{metric: 'm', resolution: 'raw', points: raw}]);
              el.flush();
              await frame();
              let step = 10000 * 64;
              for (let k = 0; k < 200; k++) {
                step += 64;
                el.append(step, {m: Math.random()});
                await time(out[LIVE]);
              }
              // The same with smoothing on: the EMA is computed over every point on each setData, the raw line drawn too.
              el.smoothing = 0.6;
              await el.updateComplete;
              await frame();
              for (let k = 0; k < 60; k++) {
                el.setHistory([{metric: 'm', resolution: 'raw', points: raw}]);
                await time(out[RAW_S]);
                el.setHistory([{metric: 'm', resolution: 'buckets', bucketSteps: 64, buckets}]);
                await time(out[BANDS_S]);
              }
              el.setHistory([{metric: 'm', resolution: 'raw', points: raw}]);
              el.flush();
              await frame();
              for (let k = 0; k < 200; k++) {
                step += 64;
                el.append(step, {m: Math.random()});
                await time(out[LIVE_S]);
              }
              el.remove();
              return out;
            }
            """;
}
