package io.keisei.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders every overlay under k8s/overlays with {@code kubectl kustomize} and checks the
 * deployment invariants on the parsed objects: the services' Deployments, Services and ServiceAccounts as
 * quarkus-kubernetes generated them (k8s/base/generated/) plus the hand-written patches, RBAC and policies.
 * Skipped (with a message) without kubectl.
 */
class KustomizeOverlaysTest {

    static final Path K8S = locateK8s();
    static String kubectl;

    @BeforeAll
    static void findKubectl() {
        kubectl = Optional.ofNullable(System.getenv("PATH")).stream()
                .flatMap(p -> java.util.Arrays.stream(p.split(java.io.File.pathSeparator)))
                .map(d -> Path.of(d, "kubectl"))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst().orElse(null);
    }

    static Path locateK8s() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("k8s/overlays"))) {
            dir = dir.getParent();
        }
        return dir == null ? Path.of("k8s") : dir.resolve("k8s");
    }

    static final Map<String, List<Map<String, Object>>> RENDERED = new java.util.concurrent.ConcurrentHashMap<>();

    /** The overlay as kubectl kustomize renders it (once per overlay and test run). */
    static List<Map<String, Object>> render(String overlay) throws IOException, InterruptedException {
        assumeTrue(kubectl != null, "kubectl is not on PATH: skipping the kustomize overlay checks");
        List<Map<String, Object>> docs = RENDERED.get(overlay);
        if (docs == null) {
            docs = List.copyOf(renderNow(overlay));
            RENDERED.put(overlay, docs);
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> renderNow(String overlay) throws IOException, InterruptedException {
        Path dir = K8S.resolve("overlays").resolve(overlay);
        assertThat(dir).isDirectory();
        Process p = new ProcessBuilder(kubectl, "kustomize", dir.toString()).redirectErrorStream(false).start();
        byte[] out;
        byte[] err;
        try (InputStream in = p.getInputStream(); InputStream es = p.getErrorStream()) {
            out = in.readAllBytes();
            err = es.readAllBytes();
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("kubectl kustomize %s: %s", dir, new String(err, StandardCharsets.UTF_8)).isZero();
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object o : new Yaml(new LoaderOptions()).loadAll(new String(out, StandardCharsets.UTF_8))) {
            if (o != null) {
                docs.add((Map<String, Object>) o);
            }
        }
        assertThat(docs).isNotEmpty();
        return docs;
    }

    @SuppressWarnings("unchecked")
    static Object at(Object node, String... path) {
        Object cur = node;
        for (String key : path) {
            if (!(cur instanceof Map)) {
                return null;
            }
            cur = ((Map<String, Object>) cur).get(key);
        }
        return cur;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object node, String... path) {
        Object v = at(node, path);
        return v == null ? List.of() : (List<Map<String, Object>>) v;
    }

    static List<Map<String, Object>> ofKind(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).collect(Collectors.toList());
    }

    static String name(Map<String, Object> doc) {
        return (String) at(doc, "metadata", "name");
    }

    static Set<String> names(List<Map<String, Object>> docs, String kind) {
        return ofKind(docs, kind).stream().map(KustomizeOverlaysTest::name).collect(Collectors.toSet());
    }

    static final Set<String> SERVICES = Set.of("gateway-service", "training-service", "metrics-service", "resource-service");

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod", "prod-kueue" })
    void everyWorkloadHasProbesLimitsAndRunsAsNonRoot(String overlay) throws Exception {
        List<Map<String, Object>> docs = render(overlay);
        List<Map<String, Object>> deployments = ofKind(docs, "Deployment");
        assertThat(names(docs, "Deployment")).containsAll(SERVICES);
        List<Map<String, Object>> workloads = new ArrayList<>(deployments);
        workloads.addAll(ofKind(docs, "StatefulSet"));
        for (Map<String, Object> w : workloads) {
            String where = overlay + "/" + w.get("kind") + "/" + name(w);
            Object podSpec = at(w, "spec", "template", "spec");
            assertThat(at(podSpec, "securityContext", "runAsNonRoot")).as(where + " pod runAsNonRoot").isEqualTo(true);
            Object uid = at(podSpec, "securityContext", "runAsUser");
            assertThat(uid).as(where + " runAsUser").isInstanceOf(Integer.class);
            assertThat((Integer) uid).as(where + " runAsUser").isPositive();
            assertThat(at(podSpec, "securityContext", "seccompProfile", "type")).as(where + " seccomp").isEqualTo("RuntimeDefault");
            if (SERVICES.contains(name(w))) {
                // generated by quarkus-kubernetes (k8s/base/generated/), never hand-written
                assertThat(at(w, "metadata", "labels", "app.kubernetes.io/managed-by")).as(where + " generated").isEqualTo("quarkus");
                assertThat(at(podSpec, "serviceAccountName")).as(where).isEqualTo(name(w));
            }
            List<Map<String, Object>> containers = list(podSpec, "containers");
            assertThat(containers).as(where).isNotEmpty();
            for (Map<String, Object> c : containers) {
                String cw = where + "/" + c.get("name");
                assertThat(at(c, "livenessProbe")).as(cw + " livenessProbe").isNotNull();
                assertThat(at(c, "readinessProbe")).as(cw + " readinessProbe").isNotNull();
                for (String r : List.of("cpu", "memory")) {
                    assertThat(at(c, "resources", "requests", r)).as(cw + " requests." + r).isNotNull();
                    assertThat(at(c, "resources", "limits", r)).as(cw + " limits." + r).isNotNull();
                }
                assertThat(at(c, "securityContext", "allowPrivilegeEscalation")).as(cw).isEqualTo(false);
                assertThat(at(c, "securityContext", "readOnlyRootFilesystem")).as(cw + " readOnlyRootFilesystem").isEqualTo(true);
                assertThat(String.valueOf(at(c, "securityContext", "capabilities", "drop"))).as(cw).isEqualTo("[ALL]");
                if (SERVICES.contains(name(w))) {
                    assertThat(at(c, "livenessProbe", "httpGet", "path")).as(cw).isEqualTo("/q/health/live");
                    assertThat(at(c, "readinessProbe", "httpGet", "path")).as(cw).isEqualTo("/q/health/ready");
                    assertThat(at(c, "startupProbe", "httpGet", "path")).as(cw).isEqualTo("/q/health/started");
                    // the probes hit the port the container serves
                    Object port = list(c, "ports").get(0).get("containerPort");
                    assertThat(at(c, "livenessProbe", "httpGet", "port")).as(cw).isIn(port, "http");
                    // read-only root: /tmp is a writable emptyDir
                    Set<String> mounts = list(c, "volumeMounts").stream()
                            .map(m -> (String) m.get("mountPath")).collect(Collectors.toSet());
                    assertThat(mounts).as(cw + " mounts").contains("/tmp");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod", "prod-kueue" })
    void imagesArePinnedNeverLatest(String overlay) throws Exception {
        List<Map<String, Object>> docs = render(overlay);
        List<String> images = new ArrayList<>();
        for (Map<String, Object> d : docs) {
            Object podSpec = "CronJob".equals(d.get("kind"))
                    ? at(d, "spec", "jobTemplate", "spec", "template", "spec")
                    : at(d, "spec", "template", "spec");
            for (String key : List.of("containers", "initContainers")) {
                list(podSpec, key).forEach(c -> images.add((String) c.get("image")));
            }
        }
        assertThat(images).isNotEmpty().doesNotContainNull();
        for (String image : images) {
            if (image.contains("@sha256:")) {
                continue;
            }
            String last = image.substring(image.lastIndexOf('/') + 1);
            assertThat(last).as("image %s has a tag", image).contains(":");
            assertThat(last.substring(last.indexOf(':') + 1)).as("image %s", image).isNotEmpty().isNotEqualTo("latest");
        }
    }

    /** Rules of a Role or ClusterRole as "apiGroup/resource" -> verbs. */
    static Map<String, Set<String>> rules(Map<String, Object> role) {
        Map<String, Set<String>> verbs = new java.util.TreeMap<>();
        for (Map<String, Object> rule : list(role, "rules")) {
            for (Object group : (List<?>) rule.get("apiGroups")) {
                for (Object res : (List<?>) rule.get("resources")) {
                    verbs.computeIfAbsent(group + "/" + res, k -> new java.util.TreeSet<>())
                            .addAll(((List<?>) rule.get("verbs")).stream().map(String::valueOf).toList());
                }
            }
        }
        return verbs;
    }

    static Map<String, Object> named(List<Map<String, Object>> docs, String kind, String name) {
        return ofKind(docs, kind).stream().filter(r -> name.equals(name(r))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    static Map<String, Object> container(List<Map<String, Object>> docs, String deployment) {
        return list(named(docs, "Deployment", deployment), "spec", "template", "spec", "containers").get(0);
    }

    static Map<String, Object> envValues(Map<String, Object> container) {
        Map<String, Object> vars = new java.util.HashMap<>();
        list(container, "env").forEach(e -> vars.put((String) e.get("name"), e.get("value")));
        return vars;
    }

    /** RBAC is exactly what the suite needs (docs/deploy.md#rbac), nothing more. */
    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod", "prod-kueue" })
    void rbacIsExactlyWhatTheServicesNeed(String overlay) throws Exception {
        List<Map<String, Object>> docs = render(overlay);
        assertThat(rules(named(docs, "Role", "training-job-launcher"))).isEqualTo(Map.of(
                "batch/jobs", Set.of("create", "get", "list", "watch", "delete"),
                "/pods", Set.of("get", "list", "watch"),
                "/pods/log", Set.of("get"),
                "/configmaps", Set.of("create", "get", "update", "delete")));
        Map<String, Object> binding = named(docs, "RoleBinding", "training-job-launcher");
        assertThat(at(binding, "roleRef", "name")).isEqualTo("training-job-launcher");
        assertThat(list(binding, "subjects")).extracting(s -> s.get("kind") + "/" + s.get("name"))
                .containsExactly("ServiceAccount/training-service");
        assertThat(at(named(docs, "Deployment", "training-service"), "spec", "template", "spec", "automountServiceAccountToken"))
                .isEqualTo(true);

        boolean clusterMode = !"dev".equals(overlay);
        Object resourceToken = at(named(docs, "Deployment", "resource-service"), "spec", "template", "spec", "automountServiceAccountToken");
        if (clusterMode) {
            // resource-service's cluster mode: read-only Nodes and pods everywhere, and their metrics
            assertThat(names(docs, "ClusterRole")).containsExactly("keisei-resource-service");
            assertThat(rules(named(docs, "ClusterRole", "keisei-resource-service"))).isEqualTo(Map.of(
                    "/nodes", Set.of("get", "list", "watch"),
                    "/pods", Set.of("get", "list", "watch"),
                    "metrics.k8s.io/nodes", Set.of("get", "list")));
            Map<String, Object> crb = named(docs, "ClusterRoleBinding", "keisei-resource-service");
            assertThat(at(crb, "roleRef", "name")).isEqualTo("keisei-resource-service");
            String namespace = (String) at(named(docs, "Deployment", "resource-service"), "metadata", "namespace");
            assertThat(list(crb, "subjects")).extracting(s -> s.get("kind") + "/" + s.get("namespace") + "/" + s.get("name"))
                    .containsExactly("ServiceAccount/" + namespace + "/resource-service");
            assertThat(envValues(container(docs, "resource-service"))).containsEntry("KEISEI_RESOURCES_MODE", "kubernetes");
            assertThat(resourceToken).isEqualTo(true);
        } else {
            assertThat(names(docs, "ClusterRole")).isEmpty();
            assertThat(names(docs, "ClusterRoleBinding")).isEmpty();
            assertThat(resourceToken).isEqualTo(false);
        }
        for (String s : List.of("gateway-service", "metrics-service")) {
            assertThat(at(named(docs, "Deployment", s), "spec", "template", "spec", "automountServiceAccountToken")).as(s).isEqualTo(false);
            assertThat(at(named(docs, "ServiceAccount", s), "automountServiceAccountToken")).as(s).isEqualTo(false);
        }

        boolean kueue = "prod-kueue".equals(overlay);
        Set<String> roles = names(docs, "Role");
        if (kueue) {
            assertThat(roles).containsExactlyInAnyOrder("training-job-launcher", "resource-service-kueue");
            assertThat(rules(named(docs, "Role", "resource-service-kueue")))
                    .isEqualTo(Map.of("kueue.x-k8s.io/workloads", Set.of("get", "list", "watch")));
            assertThat(list(named(docs, "RoleBinding", "resource-service-kueue"), "subjects"))
                    .extracting(s -> s.get("kind") + "/" + s.get("name")).containsExactly("ServiceAccount/resource-service");
            assertThat(envValues(container(docs, "resource-service"))).containsEntry("KEISEI_RESOURCES_ADMISSION", "kueue");
        } else {
            assertThat(roles).containsExactly("training-job-launcher");
            assertThat(envValues(container(docs, "resource-service"))).doesNotContainKey("KEISEI_RESOURCES_ADMISSION");
        }
        // a pod that talks to the API server may reach it through the NetworkPolicies
        Set<String> apiClients = new HashSet<>();
        for (Map<String, Object> p : ofKind(docs, "NetworkPolicy")) {
            for (Map<String, Object> rule : list(p, "spec", "egress")) {
                boolean https = list(rule, "ports").stream().anyMatch(x -> Integer.valueOf(443).equals(x.get("port")));
                boolean anyIp = list(rule, "to").stream().anyMatch(x -> at(x, "ipBlock") != null);
                if (https && anyIp) {
                    apiClients.add((String) at(p, "spec", "podSelector", "matchLabels", "app.kubernetes.io/name"));
                }
            }
        }
        assertThat(apiClients).isEqualTo(clusterMode ? Set.of("training-service", "resource-service") : Set.of("training-service"));
    }

    /** The generated Services listen where the ConfigMap's URLs point, and forward to the port the container serves. */
    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod" })
    void serviceUrlsMatchTheGeneratedServices(String overlay) throws Exception {
        List<Map<String, Object>> docs = render(overlay);
        Map<?, ?> data = (Map<?, ?>) at(named(docs, "ConfigMap", "keisei-services"), "data");
        for (String key : List.of("KEISEI_TRAINING_URL", "KEISEI_METRICS_URL", "KEISEI_RESOURCE_URL")) {
            java.net.URI url = java.net.URI.create((String) data.get(key));
            Map<String, Object> service = named(docs, "Service", url.getHost());
            List<Map<String, Object>> ports = list(service, "spec", "ports");
            assertThat(ports).as(key).extracting(p -> p.get("port")).containsExactly(url.getPort());
            Object containerPort = list(container(docs, url.getHost()), "ports").get(0).get("containerPort");
            assertThat(ports.get(0).get("targetPort")).as(key).isIn(containerPort, "http");
            assertThat(at(service, "spec", "selector")).as(key).isEqualTo(Map.of("app.kubernetes.io/name", url.getHost()));
        }
        Map<String, Object> gateway = named(docs, "Service", "gateway-service");
        assertThat(list(gateway, "spec", "ports")).extracting(p -> p.get("name")).containsExactly("http"); // the Ingress's port name
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod", "prod-kueue" })
    void onlyTheGatewayIsReachableFromOutside(String overlay) throws Exception {
        List<Map<String, Object>> docs = render(overlay);
        List<Map<String, Object>> policies = ofKind(docs, "NetworkPolicy");
        Map<String, Object> deny = policies.stream().filter(p -> "default-deny".equals(name(p))).findFirst().orElseThrow();
        assertThat((Map<?, ?>) at(deny, "spec", "podSelector")).isEmpty();
        assertThat(String.valueOf(at(deny, "spec", "policyTypes"))).isEqualTo("[Ingress, Egress]");
        // an ingress rule without "from" admits any source: only the gateway's policy may have one
        for (Map<String, Object> p : policies) {
            for (Map<String, Object> rule : list(p, "spec", "ingress")) {
                if (rule.get("from") == null) {
                    assertThat(at(p, "spec", "podSelector", "matchLabels", "app.kubernetes.io/name"))
                            .as("NetworkPolicy %s admits any source", name(p)).isEqualTo("gateway-service");
                }
            }
        }
        assertThat(names(docs, "NetworkPolicy")).containsAll(SERVICES);
        Map<String, Set<String>> calls = new java.util.TreeMap<>();
        for (Map<String, Object> p : policies) {
            Object self = at(p, "spec", "podSelector", "matchLabels", "app.kubernetes.io/name");
            for (Map<String, Object> rule : list(p, "spec", "egress")) {
                for (Map<String, Object> to : list(rule, "to")) {
                    Object target = at(to, "podSelector", "matchLabels", "app.kubernetes.io/name");
                    if (self != null && target != null && SERVICES.contains(target)) {
                        calls.computeIfAbsent((String) self, k -> new HashSet<>()).add((String) target);
                    }
                }
            }
        }
        assertThat(calls).isEqualTo(Map.of(
                "gateway-service", Set.of("training-service", "metrics-service", "resource-service"),
                "training-service", Set.of("resource-service")));
        List<Map<String, Object>> ingresses = ofKind(docs, "Ingress");
        assertThat(ingresses).hasSize(1);
        assertThat(at(ingresses.get(0), "metadata", "annotations", "nginx.ingress.kubernetes.io/proxy-read-timeout")).isNotNull();
        assertThat(ingresses.get(0).toString()).contains("name=gateway-service");
        for (Map<String, Object> s : ofKind(docs, "Service")) {
            Object type = at(s, "spec", "type");
            assertThat(type == null || "ClusterIP".equals(type)).as("Service %s is internal", name(s)).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod", "prod-kueue" })
    void servicesReadTheirSettingsFromConfigAndSecrets(String overlay) throws Exception {
        List<Map<String, Object>> docs = render(overlay);
        for (Map<String, Object> d : ofKind(docs, "Deployment")) {
            if (!SERVICES.contains(name(d))) {
                continue;
            }
            Map<String, Object> c = list(d, "spec", "template", "spec", "containers").get(0);
            Set<String> env = list(c, "env").stream().map(e -> (String) e.get("name")).collect(Collectors.toSet());
            assertThat(env).as(name(d)).contains("KEISEI_DB_URL", "KEISEI_DB_USER", "KEISEI_DB_PASSWORD", "KEISEI_REDIS_URL");
            if ("gateway-service".equals(name(d))) {
                assertThat(env).contains("KEISEI_ADMIN_TOKEN");
            }
        }
        Map<String, Object> config = ofKind(docs, "ConfigMap").stream()
                .filter(c -> "keisei-services".equals(name(c))).findFirst().orElseThrow();
        assertThat(((Map<?, ?>) at(config, "data")).keySet()).asString().contains("KEISEI_TRAINING_URL", "KEISEI_METRICS_URL", "KEISEI_RESOURCE_URL");
    }

    /** The internal services answer only holders of the shared service credential, and the gateway must send it. */
    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod", "prod-kueue" })
    void everyServiceReadsTheServiceCredentialFromASecret(String overlay) throws Exception {
        List<Map<String, Object>> docs = render(overlay);
        Set<String> refs = new HashSet<>();
        for (Map<String, Object> d : ofKind(docs, "Deployment")) {
            if (!SERVICES.contains(name(d))) {
                continue;
            }
            Map<String, Object> c = list(d, "spec", "template", "spec", "containers").get(0);
            Map<String, Object> token = list(c, "env").stream().filter(e -> "KEISEI_SERVICE_TOKEN".equals(e.get("name")))
                    .findFirst().orElse(null);
            assertThat(token).as(overlay + "/" + name(d) + " sets KEISEI_SERVICE_TOKEN").isNotNull();
            assertThat(token.get("value")).as(name(d) + ": never a literal value").isNull();
            Object ref = at(token, "valueFrom", "secretKeyRef");
            assertThat(ref).as(name(d) + ": from a Secret").isNotNull();
            assertThat(at(ref, "optional")).as(name(d) + ": the Secret is required").isNotEqualTo(true);
            refs.add(at(ref, "name") + "/" + at(ref, "key"));
        }
        assertThat(refs).as("one credential for the whole suite").containsExactly("keisei-service-credential/token");
        if ("dev".equals(overlay)) {
            assertThat(names(docs, "Secret")).contains("keisei-service-credential");
        }
    }

    /**
     * With trainers as Jobs (prod) training-service replicas share the sessions (TrainingReplicasIT), so it rolls;
     * with process trainers (dev) it stays Recreate: one replica, on the trainers' host.
     */
    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod", "prod-kueue" })
    void trainingServiceRollsOnlyWithJobs(String overlay) throws Exception {
        List<Map<String, Object>> docs = render(overlay);
        Map<String, Object> training = named(docs, "Deployment", "training-service");
        Object launcher = envValues(container(docs, "training-service")).get("KEISEI_TRAINING_LAUNCHER");
        if ("kubernetes".equals(launcher)) {
            assertThat(at(training, "spec", "strategy", "type")).as(overlay).isEqualTo("RollingUpdate");
            assertThat(at(training, "spec", "strategy", "rollingUpdate", "maxUnavailable")).as(overlay).isEqualTo(0);
        } else {
            assertThat(at(training, "spec", "strategy", "type")).as(overlay + ": process trainers").isEqualTo("Recreate");
        }
        assertThat(launcher).as(overlay).isEqualTo("dev".equals(overlay) ? "process" : "kubernetes");
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod", "prod-kueue" })
    void everyObjectIsNamespacedWhereItsServiceAccountIs(String overlay) throws Exception {
        // A Role or RoleBinding without a namespace lands wherever kubectl's context points, apart from its subject.
        List<Map<String, Object>> docs = render(overlay);
        assertThat(names(docs, "Namespace")).as(overlay).hasSize(1);
        String ns = names(docs, "Namespace").iterator().next();
        for (String kind : List.of("Deployment", "Service", "ServiceAccount", "Role", "RoleBinding", "ConfigMap",
                "NetworkPolicy", "PersistentVolumeClaim")) {
            for (Map<String, Object> d : ofKind(docs, kind)) {
                assertThat(at(d, "metadata", "namespace")).as(overlay + ": " + kind + " " + name(d)).isEqualTo(ns);
            }
        }
        for (Map<String, Object> b : ofKind(docs, "RoleBinding")) {
            for (Map<String, Object> subject : list(b, "subjects")) {
                assertThat(subject.get("namespace")).as(overlay + ": subject of " + name(b)).isIn(null, ns);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "prod", "prod-kueue" })
    void resourceServicePlansWithTheTolerationsTheTrainerJobsHave(String overlay) throws Exception {
        // In cluster mode resource-service leaves out nodes whose taints the trainers do not tolerate: both lists agree.
        List<Map<String, Object>> docs = render(overlay);
        Map<String, Object> resource = envValues(container(docs, "resource-service"));
        if (!"kubernetes".equals(resource.get("KEISEI_RESOURCES_MODE"))) {
            return;
        }
        assertThat(resource.get("KEISEI_RESOURCES_KUBERNETES_TOLERATIONS")).as(overlay)
                .isEqualTo(envValues(container(docs, "training-service")).get("KEISEI_TRAINER_TOLERATIONS"));
    }

    @org.junit.jupiter.api.Test
    void devRunsPostgresqlAndRedisInTheClusterWithSingleReplicas() throws Exception {
        List<Map<String, Object>> docs = render("dev");
        assertThat(names(docs, "StatefulSet")).containsExactlyInAnyOrder("postgresql", "redis");
        for (Map<String, Object> s : ofKind(docs, "StatefulSet")) {
            assertThat(list(s, "spec", "volumeClaimTemplates")).as(name(s) + " PVC").isNotEmpty();
        }
        for (Map<String, Object> d : ofKind(docs, "Deployment")) {
            assertThat(at(d, "spec", "replicas")).as(name(d)).isEqualTo(1);
        }
        assertThat(names(docs, "Secret")).contains("keisei-db", "keisei-redis");
        assertThat(ofKind(docs, "HorizontalPodAutoscaler")).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void prodScalesTheGatewayAndUsesExternalServers() throws Exception {
        List<Map<String, Object>> docs = render("prod");
        assertThat(ofKind(docs, "StatefulSet")).isEmpty();
        assertThat(names(docs, "Secret")).as("prod credentials come from Secrets created by the operator").isEmpty();
        Map<String, Object> gateway = ofKind(docs, "Deployment").stream()
                .filter(d -> "gateway-service".equals(name(d))).findFirst().orElseThrow();
        assertThat((Integer) at(gateway, "spec", "replicas")).isGreaterThanOrEqualTo(2);
        Map<String, Object> hpa = ofKind(docs, "HorizontalPodAutoscaler").stream()
                .filter(h -> "gateway-service".equals(at(h, "spec", "scaleTargetRef", "name"))).findFirst().orElseThrow();
        assertThat((Integer) at(hpa, "spec", "minReplicas")).isGreaterThanOrEqualTo(2);
        assertThat((Integer) at(hpa, "spec", "maxReplicas")).isGreaterThan((Integer) at(hpa, "spec", "minReplicas"));
        assertThat(ofKind(docs, "PodDisruptionBudget")).extracting(p -> at(p, "spec", "selector", "matchLabels", "app.kubernetes.io/name"))
                .contains("gateway-service", "metrics-service");
        Map<String, Object> training = ofKind(docs, "Deployment").stream()
                .filter(d -> "training-service".equals(name(d))).findFirst().orElseThrow();
        Map<String, Object> env = list(training, "spec", "template", "spec", "containers").get(0);
        Map<String, Object> vars = new java.util.HashMap<>();
        list(env, "env").forEach(e -> vars.put((String) e.get("name"), e.get("value")));
        // trainer Jobs read the Redis URL (which may hold a password) from its Secret, not from their spec
        assertThat(vars).containsEntry("KEISEI_TRAINER_REDIS_SECRET", "keisei-redis/url");
        assertThat(vars).containsEntry("KEISEI_TRAINING_LAUNCHER", "kubernetes")
                .containsKeys("KEISEI_TRAINER_NODE_SELECTOR", "KEISEI_TRAINER_TOLERATIONS", "KEISEI_TRAINER_IMAGE");
        assertThat((String) vars.get("KEISEI_TRAINER_NODE_SELECTOR")).contains("nvidia.com/gpu");
        assertThat(envValues(container(docs, "resource-service"))).containsEntry("KEISEI_RESOURCES_MODE", "kubernetes");
        assertThat((String) vars.get("KEISEI_TRAINER_IMAGE")).doesNotEndWith(":latest").contains(":");
        for (String np : List.of("postgresql-clients", "redis-clients")) {
            Map<String, Object> p = ofKind(docs, "NetworkPolicy").stream().filter(x -> np.equals(name(x))).findFirst().orElseThrow();
            assertThat(at(list(p, "spec", "egress").get(0), "to").toString()).as(np).contains("ipBlock");
        }
    }
}
