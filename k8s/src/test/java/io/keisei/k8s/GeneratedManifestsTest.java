package io.keisei.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The drift check: each service's Deployment, Service and ServiceAccount in k8s/base/generated/ must be exactly what
 * quarkus-kubernetes generates from that service's quarkus.kubernetes.* configuration, that is
 * {@code <service>/target/kubernetes/kubernetes.yml} as the service's {@code package} left it. The k8s module depends
 * on the four services, so in a reactor build ({@code ./mvnw verify}) they are packaged before this runs. Without a
 * packaged service (e.g. {@code ./mvnw test}, which stops before {@code package}) the check is skipped with a message.
 * The comparison is of the parsed YAML documents (the committed copy carries a header comment).
 */
class GeneratedManifestsTest {

    static final String REGENERATE = "k8s/generate.sh (or ./mvnw -pl gateway-service,training-service,metrics-service,"
            + "resource-service package -DskipTests && k8s/generate.sh --no-build)";

    static final Path ROOT = KustomizeOverlaysTest.K8S.getParent();

    static List<Object> load(Path file) throws IOException {
        List<Object> docs = new ArrayList<>();
        for (Object o : new Yaml(new LoaderOptions()).loadAll(Files.readString(file, StandardCharsets.UTF_8))) {
            if (o != null) {
                docs.add(o);
            }
        }
        return docs;
    }

    @ParameterizedTest
    @ValueSource(strings = { "gateway-service", "training-service", "metrics-service", "resource-service" })
    void committedCopyIsWhatTheBuildGenerates(String service) throws IOException {
        Path generated = ROOT.resolve(service).resolve("target/kubernetes/kubernetes.yml");
        Path committed = ROOT.resolve("k8s/base/generated").resolve(service + ".yaml");
        assertThat(committed).as("committed copy; create it with " + REGENERATE).isRegularFile();
        assumeTrue(Files.isRegularFile(generated),
                () -> generated + " does not exist (package " + service + " first): skipping the drift check");
        List<Object> want = load(generated);
        List<Object> have = load(committed);
        String difference = firstDifference("", have, want);
        if (difference != null) {
            fail("k8s/base/generated/" + service + ".yaml is stale: it differs from " + service
                    + "/target/kubernetes/kubernetes.yml, which quarkus-kubernetes generated from the quarkus.kubernetes.* keys in "
                    + service + "/src/main/resources/application.properties.\n  first difference at " + difference
                    + "\n  Regenerate the committed copies with: " + REGENERATE
                    + "\n  (never edit k8s/base/generated/ by hand: put what the extension cannot express in k8s/base/patches/)");
        }
    }

    /** The committed copies hold only what the extension should generate: no init Jobs, ServiceMonitors or RBAC. */
    @ParameterizedTest
    @ValueSource(strings = { "gateway-service", "training-service", "metrics-service", "resource-service" })
    void generatedCopiesHoldOnlyTheDeploymentServiceAndServiceAccount(String service) throws IOException {
        List<Object> docs = load(ROOT.resolve("k8s/base/generated").resolve(service + ".yaml"));
        List<String> kinds = docs.stream().map(d -> (String) ((Map<?, ?>) d).get("kind")).sorted().toList();
        assertThat(kinds).containsExactly("Deployment", "Service", "ServiceAccount");
        for (Object d : docs) {
            assertThat(KustomizeOverlaysTest.at(d, "metadata", "name")).isEqualTo(service);
            // reproducible: no build timestamps, commit ids or VCS URLs
            Object annotations = KustomizeOverlaysTest.at(d, "metadata", "annotations");
            assertThat(String.valueOf(annotations)).doesNotContain("build-timestamp", "commit-id", "vcs-uri");
        }
    }

    /** Only the regenerate script writes generated/: the base must list each generated file, and no service twice. */
    @Test
    void baseKustomizationListsTheGeneratedFiles() throws IOException {
        String kustomization = Files.readString(ROOT.resolve("k8s/base/kustomization.yaml"), StandardCharsets.UTF_8);
        for (String s : KustomizeOverlaysTest.SERVICES) {
            assertThat(kustomization).contains("generated/" + s + ".yaml");
            assertThat(ROOT.resolve("k8s/base").resolve(s + ".yaml")).as("hand-written manifest of " + s).doesNotExist();
        }
    }

    /** A readable path to the first place where two parsed YAML trees differ, or null when they are equal. */
    static String firstDifference(String path, Object have, Object want) {
        if (have instanceof Map<?, ?> h && want instanceof Map<?, ?> w) {
            TreeSet<String> keys = new TreeSet<>();
            h.keySet().forEach(k -> keys.add(String.valueOf(k)));
            w.keySet().forEach(k -> keys.add(String.valueOf(k)));
            for (String k : keys) {
                String d = firstDifference(path + "/" + k, h.get(k), w.get(k));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (have instanceof List<?> h && want instanceof List<?> w) {
            for (int i = 0; i < Math.max(h.size(), w.size()); i++) {
                Object a = i < h.size() ? h.get(i) : null;
                Object b = i < w.size() ? w.get(i) : null;
                String label = path + "[" + i + describe(b != null ? b : a) + "]";
                String d = firstDifference(label, a, b);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        return Objects.equals(have, want) ? null
                : (path.isEmpty() ? "/" : path) + ": committed " + have + ", generated " + want;
    }

    private static String describe(Object node) {
        if (node instanceof Map<?, ?> m) {
            Object name = m.get("name");
            if (name == null && m.get("metadata") instanceof Map<?, ?> md) {
                name = m.get("kind") + " " + md.get("name");
            }
            return name == null ? "" : " " + name;
        }
        return "";
    }
}
