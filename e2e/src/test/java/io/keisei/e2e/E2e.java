package io.keisei.e2e;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.ColorScheme;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * JUnit extension that starts, once for all browser test classes of the run, the suite, Playwright and
 * headless Chromium; they are closed when the run ends. Test classes use {@link #shared()}.
 */
public final class E2e implements BeforeAllCallback {

    static final Path SCREENSHOTS = KeiseiSuite.OUTPUT.resolve("screenshots");

    /** What the test classes share. */
    static final class Shared implements AutoCloseable {
        final KeiseiSuite suite;
        final Playwright playwright;
        final Browser browser;

        Shared(KeiseiSuite suite, Playwright playwright, Browser browser) {
            this.suite = suite;
            this.playwright = playwright;
            this.browser = browser;
        }

        /** A fresh browser context (own cookies, storage and cache) at 1280x800 in the given colour scheme. */
        BrowserContext context(ColorScheme scheme) {
            return browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800).setColorScheme(scheme)
                    .setBaseURL(suite.baseUrl));
        }

        @Override
        public void close() throws Exception {
            try {
                browser.close();
                playwright.close();
            } finally {
                suite.close();
            }
        }
    }

    private static Shared shared;

    static Shared shared() {
        return shared;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path chromium = Browsers.require();
        shared = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(Shared.class, k -> start(chromium), Shared.class);
    }

    private static Shared start(Path chromium) {
        try {
            Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
            Files.createDirectories(SCREENSHOTS);
            KeiseiSuite suite = KeiseiSuite.start();
            Playwright pw = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
            Browser browser = pw.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium)
                    .setHeadless(true).setArgs(Browsers.FLAGS));
            return new Shared(suite, pw, browser);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the end-to-end environment: " + e.getMessage(), e);
        }
    }

    /** Collects console errors and uncaught page errors of a page: the dashboard must have none. */
    static final class ConsoleErrors {
        final List<String> errors = Collections.synchronizedList(new ArrayList<>());

        ConsoleErrors watch(Page page) {
            page.onConsoleMessage(m -> {
                if ("error".equals(m.type())) {
                    errors.add(page.url() + ": " + m.text());
                }
            });
            page.onPageError(e -> errors.add(page.url() + ": uncaught " + e));
            page.onResponse(r -> {
                if (r.status() >= 400) {
                    errors.add(page.url() + ": HTTP " + r.status() + " " + r.request().method() + " " + r.url());
                }
            });
            return this;
        }
    }
}
