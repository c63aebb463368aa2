package io.keisei.training;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keisei.contracts.AllocationInfo;
import io.keisei.training.launcher.KubernetesJobLauncher;
import io.keisei.training.launcher.LaunchRequest;
import io.keisei.training.launcher.TrainerConfigFile;
import io.keisei.training.launcher.TrainerHandle;
import io.keisei.training.launcher.TrainerLauncher;
import io.keisei.training.launcher.TrainerProgram;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Trainers as Jobs (keisei.training.launcher=kubernetes) against the fabric8 mock API server in CRUD mode. */
@QuarkusTest
@TestProfile(KubernetesJobLauncherTest.KubernetesLauncher.class)
@WithTestResource(WithResourceService.class)
@WithKubernetesTestServer(crud = true)
class KubernetesJobLauncherTest {

    public static class KubernetesLauncher implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keisei.training.launcher", "kubernetes",
                    "keisei.training.kubernetes.namespace", "keisei-test",
                    "keisei.training.kubernetes.image", "registry.example.com/keisei/shogi-trainer:0.1.0",
                    "keisei.training.kubernetes.claim", "training-data",
                    "keisei.training.kubernetes.node-selector", "nvidia.com/gpu.present=true",
                    "keisei.training.kubernetes.tolerations", "nvidia.com/gpu:Exists:NoSchedule",
                    "keisei.training.kubernetes.stuck-timeout", "2s",
                    "keisei.training.kubernetes.redis-secret", "keisei-redis/url",
                    "keisei.training.stop-grace", "2s",
                    "keisei.training.kubernetes.images.keisei-2026", "registry.example.com/keisei-train-webui:2026.05");
        }
    }

    static final String NS = "keisei-test";

    @KubernetesTestServer
    io.quarkus.test.kubernetes.client.KubernetesServer server;
    @Inject
    KubernetesClient client;
    @Inject
    KubernetesJobLauncher jobs;
    @Inject
    TrainerLauncher chosen;
    @Inject
    io.keisei.training.persistence.SessionFiles files;

    Job job(String name) {
        return client.batch().v1().jobs().inNamespace(NS).withName(name).get();
    }

    void setStatus(String name, boolean succeeded) {
        client.batch().v1().jobs().inNamespace(NS).withName(name).edit(j -> {
            j.setStatus(succeeded ? new JobStatusBuilder().withSucceeded(1).build()
                    : new JobStatusBuilder().withFailed(1).build());
            return j;
        });
    }

    static AllocationInfo grant(long cpuMillis, long memoryMb, List<Integer> gpuIndices) {
        return new AllocationInfo("alloc-1", "local", cpuMillis, memoryMb, gpuIndices, null, null);
    }

    /** A custom trainer ({@code python train.py}) on half a core and no GPU. */
    static LaunchRequest custom(String session, Path dir) {
        return new LaunchRequest(session, 1, new TrainerProgram("keisei", List.of("python", "train.py")), new TrainerConfigFile("config.json", "{}"),
                dir.resolve("checkpoints"), null, "0-0", grant(500, 1024, List.of()));
    }

    /** keisei-train runs in its own image with its TOML from the ConfigMap, and caches under a writable HOME. */
    @Test
    void aCustomTrainerRunsInItsOwnImageWithItsOwnConfigFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        TrainerProgram keiseiTrain = new TrainerProgram("keisei-2026", List.of("python", "/opt/webui/keisei_train_webui.py", "{config}"),
                io.keisei.contracts.config.ConfigDialect.KEISEI_2026);
        LaunchRequest request = new LaunchRequest("S-toml", 1, keiseiTrain, new TrainerConfigFile("config.toml", "[training]\nnum_games = 8\n"),
                dir.resolve("checkpoints"), null, "0-0", grant(1000, 2048, List.of()));
        jobs.launch(request);
        String name = KubernetesJobLauncher.jobName("S-toml", 1);
        Container c = job(name).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("registry.example.com/keisei-train-webui:2026.05");
        assertThat(c.getCommand()).containsExactly("python", "/opt/webui/keisei_train_webui.py", KubernetesJobLauncher.CONFIG_DIR + "/config.toml");
        assertThat(c.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("HOME");
            assertThat(e.getValue()).isEqualTo("/tmp");
        });
        assertThat(client.configMaps().inNamespace(NS).withName(name + "-config").get().getData())
                .containsOnlyKeys("config.toml").containsEntry("config.toml", "[training]\nnum_games = 8\n");
        // a custom trainer without an image of its own runs in the trainer image
        jobs.launch(custom("S-plain", dir));
        assertThat(job(KubernetesJobLauncher.jobName("S-plain", 1)).getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.example.com/keisei/shogi-trainer:0.1.0");
    }

    /** In cluster mode a grant names its node: the pod is pinned there through the scheduler. */
    @Test
    void aGrantOnANodePinsThePodToIt(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        LaunchRequest request = new LaunchRequest("S-node", 1, TrainerProgram.builtin(), new TrainerConfigFile("config.json", "{}"),
                dir.resolve("checkpoints"), null, "0-0",
                new AllocationInfo("alloc-9", "h100", 8000, 16384, List.of(0, 1, 2, 3), null, null, "gpu-h100-3"));
        jobs.launch(request);
        var pod = job(KubernetesJobLauncher.jobName("S-node", 1)).getSpec().getTemplate().getSpec();
        assertThat(pod.getNodeName()).as("never bypass the scheduler").isNull();
        var term = pod.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms();
        assertThat(term).singleElement().satisfies(t -> assertThat(t.getMatchFields()).singleElement().satisfies(f -> {
            assertThat(f.getKey()).isEqualTo("metadata.name");
            assertThat(f.getOperator()).isEqualTo("In");
            assertThat(f.getValues()).containsExactly("gpu-h100-3");
        }));
        assertThat(pod.getContainers().get(0).getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("4"));
        assertThat(pod.getNodeSelector()).as("pinned: a selector could only contradict the placement").isNullOrEmpty();
        // a local-style grant (no node) is not pinned
        jobs.launch(custom("S-anywhere", dir));
        var anywhere = job(KubernetesJobLauncher.jobName("S-anywhere", 1)).getSpec().getTemplate().getSpec();
        assertThat(anywhere.getAffinity()).isNull();
        assertThat(anywhere.getTolerations()).as("CPU work may be placed on a tainted GPU node too: it tolerates what "
                + "resource-service assumes it tolerates").extracting(t -> t.getKey()).containsExactly("nvidia.com/gpu");
    }

    @Test
    void anAllocationHandedToKueueIsASuspendedJobNamingItsLocalQueue(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // queued in Kueue's hands: no GPU indices, no node, a count of GPUs and the LocalQueue
        LaunchRequest request = new LaunchRequest("S-kueue", 1, TrainerProgram.builtin(), new TrainerConfigFile("config.json", "{}"),
                dir.resolve("checkpoints"), null, "0-0", new AllocationInfo("alloc-k", "h100", 8000, 16384, List.of(), 1,
                "handed to Kueue (LocalQueue 'gpu-h100'); waiting for its admission", null, 2, "gpu-h100"));
        TrainerHandle handle = jobs.launch(request);
        Job job = job(KubernetesJobLauncher.jobName("S-kueue", 1));
        assertThat(job.getSpec().getSuspend()).as("Kueue unsuspends it when it admits it").isTrue();
        assertThat(job.getMetadata().getLabels()).containsEntry(KubernetesJobLauncher.KUEUE_QUEUE_LABEL, "gpu-h100")
                .containsEntry(KubernetesJobLauncher.LABEL_ALLOCATION, "alloc-k");
        var template = job.getSpec().getTemplate();
        assertThat(template.getMetadata().getLabels()).as("the pods are the Job's, not Kueue's pod integration's")
                .doesNotContainKey(KubernetesJobLauncher.KUEUE_QUEUE_LABEL)
                .containsEntry(KubernetesJobLauncher.LABEL_ALLOCATION, "alloc-k");
        assertThat(template.getSpec().getAffinity()).isNull();
        assertThat(template.getSpec().getNodeSelector()).as("not placed by us: GPU trainers keep the selector")
                .containsEntry("nvidia.com/gpu.present", "true");
        assertThat(template.getSpec().getContainers().get(0).getResources().getLimits())
                .containsEntry("nvidia.com/gpu", new Quantity("2"));
        // suspended and without pods it is waiting, not failed
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(handle::isAlive);
        handle.kill();
    }

    @Test
    void theConfigChoosesTheJobLauncher() {
        assertThat(chosen.kind()).isEqualTo("kubernetes");
    }

    @Test
    void oneJobPerAttemptWithTheAllocationTheConfigAndSessionLabels(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.json");
        LaunchRequest request = new LaunchRequest("S-1", 2, TrainerProgram.builtin(), new TrainerConfigFile("config.json", "{\"training\":{\"total_timesteps\":100}}"),
                Path.of("/var/lib/keisei/training/s/ck"), null, "0-0", grant(2000, 3072, List.of(0)));

        TrainerHandle handle = jobs.launch(request);

        String name = KubernetesJobLauncher.jobName("S-1", 2);
        assertThat(name).isEqualTo("trainer-s-1-2");
        assertThat(handle.id()).isEqualTo("job:" + NS + "/" + name);
        Job job = job(name);
        assertThat(job).isNotNull();
        assertThat(job.getMetadata().getLabels()).containsEntry(KubernetesJobLauncher.LABEL_SESSION, "s-1")
                .containsEntry(KubernetesJobLauncher.LABEL_ATTEMPT, "2").containsEntry("app.kubernetes.io/name", "shogi-trainer")
                .containsEntry(KubernetesJobLauncher.LABEL_ALLOCATION, "alloc-1");
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
                .as("resource-service finds a grant's pods by it").containsEntry(KubernetesJobLauncher.LABEL_ALLOCATION, "alloc-1");
        assertThat(job.getMetadata().getAnnotations()).containsEntry(KubernetesJobLauncher.ANNOTATION_SESSION, "S-1");
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        var pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getNodeSelector()).containsEntry("nvidia.com/gpu.present", "true");
        assertThat(pod.getTolerations()).singleElement().satisfies(t -> {
            assertThat(t.getKey()).isEqualTo("nvidia.com/gpu");
            assertThat(t.getOperator()).isEqualTo("Exists");
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
        });
        Container c = pod.getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("registry.example.com/keisei/shogi-trainer:0.1.0");
        // the allocation, as requests and limits
        Map<String, Quantity> expected = Map.of("cpu", new Quantity("2000m"), "memory", new Quantity("3072Mi"),
                "nvidia.com/gpu", new Quantity("1"));
        assertThat(c.getResources().getRequests()).isEqualTo(expected);
        assertThat(c.getResources().getLimits()).isEqualTo(expected);
        // the image runs java -jar shogi-trainer.jar: the arguments follow the jar, the config comes from the ConfigMap
        assertThat(c.getArgs()).startsWith("train", "--session", "S-1").contains(KubernetesJobLauncher.CONFIG_DIR + "/config.json")
                .doesNotContain(config.toString());
        assertThat(c.getEnv()).noneMatch(e -> e.getName().equals("CUDA_VISIBLE_DEVICES"));
        // the Redis URL (which may hold a password) is neither an argument nor a value in the Job: a Secret key
        assertThat(c.getArgs()).doesNotContain("--redis").noneMatch(a -> a.contains("redis://"));
        assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("KEISEI_REDIS_URL")).singleElement().satisfies(e -> {
            assertThat(e.getValue()).isNull();
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("keisei-redis");
            assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("url");
        });
        assertThat(pod.getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .singleElement().satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("training-data"));
        assertThat(c.getVolumeMounts()).anyMatch(m -> m.getName().equals("data") && m.getMountPath().equals("/var/lib/keisei"));
        ConfigMap cm = client.configMaps().inNamespace(NS).withName(name + "-config").get();
        assertThat(cm.getData()).containsEntry("config.json", "{\"training\":{\"total_timesteps\":100}}");
        assertThat(cm.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getKind() + "/" + o.getName()).isEqualTo("Job/" + name));

        // found again after a restart, only for its own session and attempt
        assertThat(jobs.reattach(handle.id(), "S-1", 2)).isPresent();
        assertThat(jobs.reattach(handle.id(), "S-2", 2)).isEmpty();
        assertThat(jobs.reattach(handle.id(), "S-1", 3)).isEmpty();

        // the Job succeeds: the handle exits with 0 and the Job is cleaned up
        assertThat(handle.isAlive()).isTrue();
        setStatus(name, true);
        assertThat(handle.exit().get(10, TimeUnit.SECONDS)).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> job(name) == null);
    }

    @Test
    void aFailedJobEndsTheHandleAndKillDeletesTheJob(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        TrainerHandle failing = jobs.launch(custom("S-fail", dir));
        Job job = job(KubernetesJobLauncher.jobName("S-fail", 1));
        Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getCommand()).containsExactly("python", "train.py");
        assertThat(c.getResources().getLimits()).containsOnlyKeys("cpu", "memory");
        assertThat(job.getSpec().getTemplate().getSpec().getNodeSelector()).isNullOrEmpty();
        setStatus(KubernetesJobLauncher.jobName("S-fail", 1), false);
        assertThat(failing.exit().get(10, TimeUnit.SECONDS)).isNotZero();

        TrainerHandle killed = jobs.launch(custom("S-kill", dir));
        assertThat(job(KubernetesJobLauncher.jobName("S-kill", 1))).isNotNull();
        killed.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> job(KubernetesJobLauncher.jobName("S-kill", 1)) == null);
        assertThat(killed.exit().get(10, TimeUnit.SECONDS)).isEqualTo(-1);
    }

    @Test
    void aSessionRunsAsAJobAndStopDeletesIt() {
        String id = SessionLifecycleTest.create("on-kubernetes");
        given().post("/sessions/{id}/start", id).then().statusCode(200);
        String name = KubernetesJobLauncher.jobName(id, 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> job(name) != null);
        Container c = job(name).getSpec().getTemplate().getSpec().getContainers().get(0);
        // the allocation training-service asked resource-service for
        assertThat(c.getResources().getLimits()).containsEntry("cpu", new Quantity("1000m")).containsEntry("memory", new Quantity("1536Mi"));
        assertThat(c.getArgs()).contains("--session", id);

        given().post("/sessions/{id}/stop", id).then().statusCode(200);
        // no trainer answers the control stream here: the Job is deleted after the stop grace
        await().atMost(Duration.ofSeconds(20)).until(() -> job(name) == null);
        await().atMost(Duration.ofSeconds(20)).until(() -> !SessionLifecycleTest.state(id).equals("stopping"));
        assertThat(SessionLifecycleTest.state(id)).isIn("stopped", "failed");
    }

    @Test
    void aFailedJobFailsTheSession() {
        String id = SessionLifecycleTest.create("job-fails");
        given().post("/sessions/{id}/start", id).then().statusCode(200);
        String name = KubernetesJobLauncher.jobName(id, 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> job(name) != null);
        setStatus(name, false);
        SessionLifecycleTest.awaitState(id, "failed", Duration.ofSeconds(20));
    }

    /** An evaluation's match runs as a Job in the trainer image and writes its result to the data volume. */
    @Test
    void anEvaluationRunsAsAJobAndItsResultIsReadFromTheDataVolume() throws Exception {
        String id = given().contentType(io.restassured.http.ContentType.JSON)
                .body("{\"playerA\":\"baseline:1\",\"playerB\":\"random\",\"games\":2,\"seed\":9,\"owner\":\"alice\","
                        + "\"ownerRole\":\"admin\"}")
                .post("/evaluations").then().statusCode(201).extract().path("id");
        String name = KubernetesJobLauncher.matchJobName(id);
        await().atMost(Duration.ofSeconds(20)).until(() -> job(name) != null);
        Job job = job(name);
        assertThat(job.getMetadata().getLabels()).containsEntry(KubernetesJobLauncher.LABEL_EVALUATION, KubernetesJobLauncher.dnsPart(id))
                .doesNotContainKey(KubernetesJobLauncher.LABEL_SESSION);
        assertThat(job.getMetadata().getAnnotations()).containsEntry(KubernetesJobLauncher.ANNOTATION_EVALUATION, id);
        var pod = job.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("registry.example.com/keisei/shogi-trainer:0.1.0");
        assertThat(c.getCommand()).isNullOrEmpty();
        Path result = files.evaluationDir(id).resolve("result.json");
        assertThat(c.getArgs()).startsWith("match", "--player-a", "baseline:1", "--player-b", "random", "--games", "2",
                "--seed", "9", "--out", result.toString(), "--evaluation", id);
        // its CPU grant, no GPU, so no GPU node selector; no config volume; the data claim where results land
        assertThat(c.getResources().getLimits()).isEqualTo(Map.of("cpu", new Quantity("1000m"), "memory", new Quantity("1024Mi")));
        assertThat(pod.getNodeSelector()).isNullOrEmpty();
        assertThat(pod.getVolumes()).noneMatch(v -> v.getConfigMap() != null)
                .anyMatch(v -> v.getPersistentVolumeClaim() != null);
        assertThat(client.configMaps().inNamespace(NS).withName(name + "-config").get()).isNull();
        assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("KEISEI_REDIS_URL")).singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("keisei-redis"));
        String handle = given().get("/evaluations/{id}", id).path("state");
        assertThat(handle).isEqualTo("running");
        String handleId = "job:" + NS + "/" + name;
        assertThat(jobs.reattachMatch(handleId, id)).isPresent();
        assertThat(jobs.reattachMatch(handleId, "eval-other")).isEmpty();

        // the pod writes its result on the shared volume and succeeds
        Files.createDirectories(result.getParent());
        Files.writeString(result, """
                {"games":[{"index":0,"black":"A","result":"black_win","reason":"checkmate","plies":1,"startSfen":"startpos","moves":["7g7f"]},
                 {"index":1,"black":"B","result":"black_win","reason":"checkmate","plies":1,"startSfen":"startpos","moves":["2g2f"]}]}
                """);
        setStatus(name, true);
        await().atMost(Duration.ofSeconds(20)).until(() -> "completed".equals(given().get("/evaluations/{id}", id).path("state")));
        given().get("/evaluations/{id}", id).then().body("aWins", org.hamcrest.Matchers.equalTo(1))
                .body("bWins", org.hamcrest.Matchers.equalTo(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> job(name) == null);
    }

    @Test
    void aFailedMatchJobFailsItsEvaluation() {
        String id = given().contentType(io.restassured.http.ContentType.JSON)
                .body("{\"playerA\":\"baseline:1\",\"playerB\":\"random\",\"games\":2,\"owner\":\"alice\",\"ownerRole\":\"admin\"}")
                .post("/evaluations").then().statusCode(201).extract().path("id");
        String name = KubernetesJobLauncher.matchJobName(id);
        await().atMost(Duration.ofSeconds(20)).until(() -> job(name) != null);
        setStatus(name, false);
        await().atMost(Duration.ofSeconds(20)).until(() -> "failed".equals(given().get("/evaluations/{id}", id).path("state")));
        given().get("/evaluations/{id}", id).then().body("stateReason", org.hamcrest.Matchers.containsString("exited with code"));
    }

    /** A trainer pod as the Job controller makes it: the Job's labels and the job-name label. */
    io.fabric8.kubernetes.api.model.Pod createPod(String job, java.util.function.UnaryOperator<io.fabric8.kubernetes.api.model.PodBuilder> status) {
        var labels = new java.util.HashMap<>(job(job).getSpec().getTemplate().getMetadata().getLabels());
        labels.put("job-name", job);
        var pod = status.apply(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName(job + "-x7k2p")
                .withNamespace(NS).withLabels(labels).endMetadata()
                .withSpec(job(job).getSpec().getTemplate().getSpec())).build();
        return client.pods().inNamespace(NS).resource(pod).create();
    }

    @Test
    void anOomKilledTrainerFailsItsSessionWithThatReason() {
        String id = SessionLifecycleTest.create("oom");
        given().post("/sessions/{id}/start", id).then().statusCode(200);
        String name = KubernetesJobLauncher.jobName(id, 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> job(name) != null);
        createPod(name, p -> p.withNewStatus().withPhase("Failed").addNewContainerStatus().withName("trainer").withNewState()
                .withNewTerminated().withReason("OOMKilled").withExitCode(137).endTerminated().endState().endContainerStatus()
                .endStatus());
        setStatus(name, false);
        SessionLifecycleTest.awaitState(id, "failed", Duration.ofSeconds(20));
        given().get("/sessions/{id}", id).then().body("stateReason",
                org.hamcrest.Matchers.startsWith("OOMKilled: the trainer used more than its memory limit of 1536Mi"));
    }

    @Test
    void aPodThatStaysUnschedulableFailsItsSessionWithTheSchedulersWords() {
        String id = SessionLifecycleTest.create("unschedulable");
        given().post("/sessions/{id}/start", id).then().statusCode(200);
        String name = KubernetesJobLauncher.jobName(id, 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> job(name) != null);
        createPod(name, p -> p.withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled")
                .withStatus("False").withReason("Unschedulable")
                .withMessage("0/9 nodes are available: 4 Insufficient nvidia.com/gpu, 5 node(s) didn't match node selector.")
                .endCondition().endStatus());
        // the stuck timeout of this profile is 2 s: then the Job is deleted and the session fails, saying why
        SessionLifecycleTest.awaitState(id, "failed", Duration.ofSeconds(20));
        given().get("/sessions/{id}", id).then().body("stateReason", org.hamcrest.Matchers.startsWith(
                "Unschedulable: 0/9 nodes are available: 4 Insufficient nvidia.com/gpu"));
        await().atMost(Duration.ofSeconds(10)).until(() -> job(name) == null);
    }

    @Test
    void anImageThatCannotBePulledFailsTheEvaluationThatNeedsIt() {
        String id = given().contentType(io.restassured.http.ContentType.JSON)
                .body("{\"playerA\":\"baseline:1\",\"playerB\":\"random\",\"games\":2,\"owner\":\"alice\",\"ownerRole\":\"admin\"}")
                .post("/evaluations").then().statusCode(201).extract().path("id");
        String name = KubernetesJobLauncher.matchJobName(id);
        await().atMost(Duration.ofSeconds(20)).until(() -> job(name) != null);
        createPod(name, p -> p.withNewStatus().withPhase("Pending").addNewContainerStatus().withName("trainer").withNewState()
                .withNewWaiting().withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image \"registry.example.com/keisei/shogi-trainer:0.1.0\"").endWaiting().endState()
                .endContainerStatus().endStatus());
        await().atMost(Duration.ofSeconds(20)).until(() -> "failed".equals(given().get("/evaluations/{id}", id).path("state")));
        given().get("/evaluations/{id}", id).then().body("stateReason", org.hamcrest.Matchers.startsWith(
                "ImagePullBackOff: Back-off pulling image \"registry.example.com/keisei/shogi-trainer:0.1.0\""));
    }

    @Test
    void theLogOfARunningTrainerIsReadFromItsPod() {
        String id = SessionLifecycleTest.create("pod-log");
        given().post("/sessions/{id}/start", id).then().statusCode(200);
        String name = KubernetesJobLauncher.jobName(id, 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> job(name) != null);
        createPod(name, p -> p.withNewStatus().withPhase("Running").endStatus());
        server.expect().get().withPath("/api/v1/namespaces/" + NS + "/pods/" + name + "-x7k2p/log?pretty=false&tailLines=2")
                .andReturn(200, "step 100 loss 0.9\nstep 200 loss 0.7\n").always();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/sessions/{id}/logs?tail=2", id).then()
                .statusCode(200).body(org.hamcrest.Matchers.equalTo("step 100 loss 0.9\nstep 200 loss 0.7\n")));
        given().post("/sessions/{id}/stop", id).then().statusCode(200);
    }

    @Inject
    io.keisei.common.stream.StreamPublisher publisher;

    /**
     * Cluster mode's race: resource-service queued the starting attempt's allocation again (its pod could not be
     * scheduled on the granted node). The Job goes, the session waits queued, and the next grant launches it again.
     */
    @Test
    void aSessionWhoseAllocationIsQueuedAgainWaitsAndIsLaunchedAgainOnTheNextGrant() {
        String id = SessionLifecycleTest.create("requeued");
        given().post("/sessions/{id}/start", id).then().statusCode(200);
        String name = KubernetesJobLauncher.jobName(id, 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> job(name) != null);
        String firstUid = job(name).getMetadata().getUid();
        String allocation = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() ->
                io.keisei.training.persistence.AttemptEntity.find(id, 1).allocationId);
        String why = "queued again: the trainer pod could not be scheduled on gpu-a100-2 (0/11 nodes are available)";
        publisher.publish(io.keisei.contracts.Streams.EVENTS, io.keisei.contracts.LifecycleEvent.allocation(
                io.keisei.contracts.EventType.ALLOCATION_QUEUED, id, "resource-service",
                new AllocationInfo(allocation, "a100", 1000, 1536, List.of(), 1, why)), io.keisei.contracts.Streams.EVENTS_MAXLEN);

        SessionLifecycleTest.awaitState(id, "queued", Duration.ofSeconds(20));
        given().get("/sessions/{id}", id).then().body("stateReason", org.hamcrest.Matchers.startsWith("queued again: the trainer pod"));
        await().atMost(Duration.ofSeconds(20)).until(() -> job(name) == null);

        publisher.publish(io.keisei.contracts.Streams.EVENTS, io.keisei.contracts.LifecycleEvent.allocation(
                io.keisei.contracts.EventType.ALLOCATION_GRANTED, id, "resource-service",
                new AllocationInfo(allocation, "a100", 1000, 1536, List.of(), null, null, "gpu-a100-1")),
                io.keisei.contracts.Streams.EVENTS_MAXLEN);
        SessionLifecycleTest.awaitState(id, "starting", Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(20)).until(() -> job(name) != null && !firstUid.equals(job(name).getMetadata().getUid()));
        // pinned to the node of the new grant
        assertThat(job(name).getSpec().getTemplate().getSpec().getAffinity().getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().get(0).getMatchFields().get(0)
                .getValues()).containsExactly("gpu-a100-1");
        given().post("/sessions/{id}/stop", id).then().statusCode(200);
    }
}
