package io.keisei.e2e;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the system Chromium. Without one the browser tests are skipped on a developer's machine and
 * fail under CI ({@code CI=true}), where {@code .ci/run} installs it.
 */
final class Browsers {

    /** Flags for headless Chromium in containers and CI, without any traffic to the outside. */
    static final List<String> FLAGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage");

    private Browsers() {
    }

    static Path chromium() {
        String configured = System.getProperty("keisei.e2e.chromium", System.getenv("KEISEI_CHROMIUM"));
        Stream<String> candidates = configured != null && !configured.isBlank() ? Stream.of(configured)
                : Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
        return candidates.map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    }

    /** The Chromium to use; skips (locally) or fails (CI=true) when there is none. */
    static Path require() {
        Path chromium = chromium();
        if (chromium == null) {
            String why = "no Chromium found (install it: apt-get install -y chromium chromium-driver fonts-ipafont-gothic,"
                    + " or point -Dkeisei.e2e.chromium at one)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("CI=true and " + why);
            }
            Assumptions.abort("browser tests skipped: " + why);
        }
        return chromium;
    }
}
