package io.keisei.training.launcher;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.keisei.contracts.AllocationInfo;
import io.keisei.training.config.TrainingServiceConfig;
import io.keisei.training.persistence.SessionFiles;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs each trainer attempt as a Kubernetes Job ({@code keisei.training.launcher=kubernetes}): the
 * allocation as requests and limits (nvidia.com/gpu for GPUs), the attempt's config as a ConfigMap
 * owned by the Job, the data claim mounted where this service mounts it (checkpoints), session labels.
 * Job status drives the handle's exit; a finished Job is deleted (its pods and ConfigMap with it).
 * Evaluation matches run the same way ({@link #launchMatch}), their result written to the data volume.
 * Needs the Role in k8s/base/rbac.yaml and nothing more.
 */
@ApplicationScoped
@Typed(KubernetesJobLauncher.class) // chosen by TrainerLaunchers
public class KubernetesJobLauncher implements TrainerLauncher {

    private static final Logger LOG = Logger.getLogger(KubernetesJobLauncher.class);
    public static final String CONFIG_DIR = "/etc/keisei/trainer";
    public static final String LABEL_SESSION = "keisei.io/session";
    public static final String LABEL_ATTEMPT = "keisei.io/attempt";
    public static final String ANNOTATION_SESSION = "keisei.io/session-id";
    public static final String LABEL_EVALUATION = "keisei.io/evaluation";
    public static final String LABEL_ALLOCATION = "keisei.io/allocation";
    static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String MANAGER = "training-service";
    public static final String ANNOTATION_EVALUATION = "keisei.io/evaluation-id";
    /** Names the Kueue LocalQueue on a Job: Kueue then manages it (admits it by unsuspending it). */
    public static final String KUEUE_QUEUE_LABEL = "kueue.x-k8s.io/queue-name";

    private final KubernetesClient client;
    private final TrainerInvocation invocation;
    private final SessionFiles files;
    private final TrainingServiceConfig.Kubernetes config;
    private final long stopGraceSeconds;
    private volatile boolean warnedPlainRedisUrl;
    /** The Jobs this replica watches, by name; the informers hand each change of a Job or its pod to its handle. */
    private final Map<String, JobHandle> watched = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "trainer-job-timers");
        t.setDaemon(true);
        return t;
    });
    private SharedIndexInformer<Job> jobInformer;
    private SharedIndexInformer<Pod> podInformer;

    public KubernetesJobLauncher(KubernetesClient client, TrainerInvocation invocation, SessionFiles files,
                                 TrainingServiceConfig config) {
        this.client = client;
        this.invocation = invocation;
        this.files = files;
        this.config = config.kubernetes();
        this.stopGraceSeconds = Math.max(1, config.stopGrace().toSeconds());
    }

    @PreDestroy
    synchronized void close() {
        timers.shutdownNow();
        if (jobInformer != null) {
            jobInformer.close();
            podInformer.close();
        }
    }

    /**
     * Starts watching the Jobs and pods this service manages in its namespace, once: an informer lists them, then
     * follows the watch (re-listing by itself after a watch error or an expired resource version), so a Job's end
     * or its pod's trouble reaches the handle as it happens, with no polling of the API server.
     */
    private synchronized void watchJobs() {
        if (jobInformer != null) {
            return;
        }
        String ns = namespace();
        long resync = config.informerResync().toMillis();
        jobInformer = client.batch().v1().jobs().inNamespace(ns).withLabel(LABEL_MANAGED_BY, MANAGER)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Job job) {
                        handleOf(job.getMetadata().getName()).filter(h -> h.isSame(job)).ifPresent(h -> h.onJob(job));
                    }

                    @Override
                    public void onUpdate(Job old, Job job) {
                        onAdd(job);
                    }

                    @Override
                    public void onDelete(Job job, boolean finalStateUnknown) {
                        handleOf(job.getMetadata().getName()).filter(h -> h.isSame(job)).ifPresent(JobHandle::onJobDeleted);
                    }
                }, resync);
        podInformer = client.pods().inNamespace(ns).withLabel(LABEL_MANAGED_BY, MANAGER)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        jobNameOf(pod).flatMap(KubernetesJobLauncher.this::handleOf).filter(h -> h.owns(pod))
                                .ifPresent(h -> h.onPod(pod));
                    }

                    @Override
                    public void onUpdate(Pod old, Pod pod) {
                        onAdd(pod);
                    }

                    @Override
                    public void onDelete(Pod pod, boolean finalStateUnknown) {
                        onAdd(pod); // its last state may hold the reason (evicted, node lost)
                    }
                }, resync);
        long every = Math.max(100, Math.min(5000, config.stuckTimeout().toMillis() / 4));
        timers.scheduleWithFixedDelay(() -> watched.values().forEach(JobHandle::checkStuck), every, every,
                TimeUnit.MILLISECONDS);
    }

    private Optional<JobHandle> handleOf(String jobName) {
        return Optional.ofNullable(watched.get(jobName));
    }

    /** The Job a pod belongs to: the Job controller's label, or its owner reference. */
    static Optional<String> jobNameOf(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        if (labels != null && labels.get("batch.kubernetes.io/job-name") != null) {
            return Optional.of(labels.get("batch.kubernetes.io/job-name"));
        }
        if (labels != null && labels.get("job-name") != null) {
            return Optional.of(labels.get("job-name"));
        }
        return pod.getMetadata().getOwnerReferences() == null ? Optional.empty()
                : pod.getMetadata().getOwnerReferences().stream().filter(o -> "Job".equals(o.getKind()))
                .map(o -> o.getName()).findFirst();
    }

    @Override
    public String kind() {
        return "kubernetes";
    }

    String namespace() {
        return config.namespace().filter(s -> !s.isBlank()).orElseGet(() -> {
            String ns = client.getNamespace();
            return ns == null ? "default" : ns;
        });
    }

    /**
     * KEISEI_REDIS_URL of a trainer: from the Secret key named by {@code keisei.training.kubernetes.redis-secret}
     * when set, so that a password in it stays out of the Job spec (readable by whoever may read Jobs); else the
     * value itself, with a warning once when it holds a password.
     */
    EnvVar redisUrl(String url) {
        Optional<String> ref = config.redisSecret().map(String::strip).filter(s -> !s.isEmpty());
        if (ref.isPresent()) {
            int slash = ref.get().indexOf('/');
            if (slash <= 0 || slash == ref.get().length() - 1) {
                throw new IllegalStateException("keisei.training.kubernetes.redis-secret must be secret-name/key, was '"
                        + ref.get() + "'");
            }
            return new EnvVarBuilder().withName("KEISEI_REDIS_URL").withNewValueFrom().withNewSecretKeyRef()
                    .withName(ref.get().substring(0, slash)).withKey(ref.get().substring(slash + 1))
                    .endSecretKeyRef().endValueFrom().build();
        }
        if (url.matches("^rediss?://[^/@]*@.*") && !warnedPlainRedisUrl) {
            warnedPlainRedisUrl = true;
            LOG.warn("the Redis URL holds a password and goes into trainer Job specs as a plain value: set "
                    + "KEISEI_TRAINER_REDIS_SECRET (e.g. keisei-redis/url) so that Jobs read it from the Secret");
        }
        return new EnvVar("KEISEI_REDIS_URL", url, null);
    }

    /** A DNS-1123 name (and label value) from a session id: lower case, [a-z0-9-], at most 40 characters. */
    public static String dnsPart(String s) {
        String v = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        v = v.length() > 40 ? v.substring(0, 40).replaceAll("-+$", "") : v;
        return v.isEmpty() ? "x" : v;
    }

    public static String jobName(String session, int attempt) {
        return "trainer-" + dnsPart(session) + "-" + attempt;
    }

    /** A custom trainer's own image when one is configured, else the trainer image. */
    private String imageOf(TrainerProgram program) {
        return program.isBuiltin() ? config.image() : config.images().getOrDefault(program.name(), config.image());
    }

    @Override
    public TrainerHandle launch(LaunchRequest request) throws IOException {
        String name = jobName(request.sessionId(), request.attempt());
        Map<String, String> labels = labels();
        labels.put(LABEL_SESSION, dnsPart(request.sessionId()));
        labels.put(LABEL_ATTEMPT, String.valueOf(request.attempt()));

        String configPath = CONFIG_DIR + "/" + request.configFile().fileName();
        List<String> arguments = invocation.arguments(request, configPath);
        List<EnvVar> env = new ArrayList<>();
        if (!request.program().isBuiltin()) {
            // The root file system is read-only: Python and PyTorch keep their caches under HOME.
            env.add(new EnvVar("HOME", "/tmp", null));
        }
        env.addAll(envVars(invocation.environment(request, configPath)));
        TrainerHandle handle = create(new JobParts(name, labels, ANNOTATION_SESSION, request.sessionId(),
                imageOf(request.program()), request.program().isBuiltin(), arguments, env, request.grant(),
                request.configFile()), files.log(request.sessionId()));
        LOG.infof("launched trainer Job %s for session %s attempt %d", handle.id(), request.sessionId(), request.attempt());
        return handle;
    }

    /** A match runs in the trainer image too; its result file lands on the data volume, where this service reads it. */
    @Override
    public TrainerHandle launchMatch(MatchLaunch m) throws IOException {
        Map<String, String> labels = labels();
        labels.put(LABEL_EVALUATION, dnsPart(m.evaluationId()));
        TrainerHandle handle = create(new JobParts(matchJobName(m.evaluationId()), labels, ANNOTATION_EVALUATION,
                m.evaluationId(), config.image(), true, m.arguments(), envVars(invocation.environment(m)), m.grant(), null),
                m.logFile());
        LOG.infof("launched match Job %s for evaluation %s", handle.id(), m.evaluationId());
        return handle;
    }

    @Override
    public Optional<TrainerHandle> reattachMatch(String handleId, String evaluationId) {
        return findJob(handleId).filter(job -> dnsPart(evaluationId).equals(job.getMetadata().getLabels().get(LABEL_EVALUATION)))
                .map(job -> watch(job, files.evaluationDir(evaluationId).resolve("match.log")).seen(job));
    }

    public static String matchJobName(String evaluationId) {
        return "match-" + dnsPart(evaluationId.startsWith("eval-") ? evaluationId.substring(5) : evaluationId);
    }

    private static Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "shogi-trainer");
        labels.put("app.kubernetes.io/part-of", "keisei");
        labels.put(LABEL_MANAGED_BY, MANAGER);
        labels.put("keisei.io/redis-client", "true");
        return labels;
    }

    private List<EnvVar> envVars(Map<String, String> values) {
        List<EnvVar> env = new ArrayList<>();
        values.forEach((k, v) -> {
            if ("CUDA_VISIBLE_DEVICES".equals(k)) {
                return; // the device plugin assigns the granted GPUs
            }
            env.add("KEISEI_REDIS_URL".equals(k) ? redisUrl(v) : new EnvVar(k, v, null));
        });
        return env;
    }

    /**
     * What one Job runs, whatever it is for.
     *
     * @param builtin    the image's entrypoint runs the built-in trainer and {@code arguments} are its arguments; else
     *                   they are the container's whole command
     * @param configFile mounted read-only under {@link #CONFIG_DIR} from a ConfigMap the Job owns; null for none
     */
    private record JobParts(String name, Map<String, String> labels, String ownerAnnotation, String ownerId, String image,
                            boolean builtin, List<String> arguments, List<EnvVar> env, AllocationInfo grant,
                            TrainerConfigFile configFile) {
    }

    private TrainerHandle create(JobParts parts, Path logFile) throws IOException {
        String ns = namespace();
        String name = parts.name();
        // resource-service finds the pods of a grant by this label (a pod that cannot be scheduled re-queues it).
        parts.labels().put(LABEL_ALLOCATION, parts.grant().allocationId());
        Map<String, Quantity> amounts = new LinkedHashMap<>();
        AllocationInfo grant = parts.grant();
        int gpus = grant.requestedGpus();
        amounts.put("cpu", new Quantity(grant.cpuMillis() + "m"));
        amounts.put("memory", new Quantity(grant.memoryMb() + "Mi"));
        if (gpus > 0) {
            amounts.put(config.gpuResource(), new Quantity(String.valueOf(gpus)));
        }

        String configMap = name + "-config";
        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        if (parts.configFile() != null) {
            volumes.add(new VolumeBuilder().withName("config").withNewConfigMap().withName(configMap).endConfigMap().build());
            mounts.add(mount(CONFIG_DIR, "config", true));
        }
        volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
        mounts.add(mount("/tmp", "tmp", false));
        if (config.claim().filter(c -> !c.isBlank()).isPresent()) {
            volumes.add(new VolumeBuilder().withName("data").withNewPersistentVolumeClaim()
                    .withClaimName(config.claim().get()).endPersistentVolumeClaim().build());
        } else {
            LOG.warnf("no keisei.training.kubernetes.claim: what %s writes is lost with its pod", name);
            volumes.add(new VolumeBuilder().withName("data").withNewEmptyDir().endEmptyDir().build());
        }
        mounts.add(mount(config.claimMountPath(), "data", false));

        // A grant placed on a node is pinned there (onNode); a selector could only contradict resource-service's choice.
        Map<String, String> nodeSelector = gpus > 0 && grant.node() == null
                ? parseNodeSelector(config.nodeSelector().orElse("")) : Map.of();
        // resource-service places CPU work on tainted GPU nodes too when their taints are tolerated: so must the pod.
        List<Toleration> tolerations = parseTolerations(config.tolerations().orElse(""));

        // Handed to Kueue: created suspended, on the Job only (not its pods, which Kueue's pod integration would take).
        boolean kueue = grant.kueueQueue() != null;
        Map<String, String> jobLabels = new LinkedHashMap<>(parts.labels());
        if (kueue) {
            jobLabels.put(KUEUE_QUEUE_LABEL, grant.kueueQueue());
        }
        Job job = new JobBuilder()
                .withNewMetadata().withName(name).withNamespace(ns).withLabels(jobLabels)
                .addToAnnotations(parts.ownerAnnotation(), parts.ownerId()).endMetadata()
                .withNewSpec()
                .withSuspend(kueue ? Boolean.TRUE : null)
                .withBackoffLimit(0) // a new attempt is the service's decision
                .withTtlSecondsAfterFinished((int) config.ttlAfterFinished().toSeconds())
                .withNewTemplate()
                .withNewMetadata().withLabels(parts.labels()).addToAnnotations(parts.ownerAnnotation(), parts.ownerId())
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withServiceAccountName(config.serviceAccount())
                .withAutomountServiceAccountToken(false)
                .withTerminationGracePeriodSeconds(stopGraceSeconds)
                .withNodeSelector(nodeSelector.isEmpty() ? null : nodeSelector)
                .withAffinity(onNode(grant.node()))
                .withTolerations(tolerations)
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(185L).withRunAsGroup(185L)
                .withFsGroup(185L).withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .addNewContainer()
                .withName("trainer")
                .withImage(parts.image())
                // the image's entrypoint runs the built-in trainer (java -jar shogi-trainer.jar); a custom one brings its command
                .withCommand(parts.builtin() ? null : parts.arguments())
                .withArgs(parts.builtin() ? parts.arguments() : null)
                .withEnv(parts.env())
                .withNewResources().withRequests(amounts).withLimits(amounts).endResources()
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withRunAsNonRoot(true).withNewCapabilities().addToDrop("ALL").endCapabilities().endSecurityContext()
                .withVolumeMounts(mounts)
                .endContainer()
                .withVolumes(volumes)
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();

        Job created;
        try {
            created = createReplacingLeftover(ns, job);
            if (parts.configFile() != null) {
                // The pod waits for its config volume; the ConfigMap is owned by the Job, so deleting the Job removes it.
                ConfigMap cm = new ConfigMapBuilder()
                        .withNewMetadata().withName(configMap).withNamespace(ns).withLabels(parts.labels())
                        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                                .withName(name).withUid(created.getMetadata().getUid()).withController(true).build())
                        .endMetadata()
                        .addToData(parts.configFile().fileName(), parts.configFile().content())
                        .build();
                // One left by an abandoned launch of the same attempt may still wait for garbage collection: take it over.
                client.configMaps().inNamespace(ns).resource(cm)
                        .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
            }
        } catch (KubernetesClientException e) {
            throw new IOException("creating Job " + ns + "/" + name + " failed: " + e.getMessage(), e);
        }
        JobHandle fresh = new JobHandle(ns, name, created.getMetadata().getUid(), logFile);
        JobHandle before = watched.put(name, fresh);
        if (before != null) {
            before.finish(-1); // the handle of the abandoned launch this Job replaces
        }
        watchJobs();
        return fresh;
    }

    /**
     * Creates the Job; a Job of the same name still there is the leftover of an abandoned launch of the same attempt
     * (its allocation was queued again and granted anew before the old Job was gone): it is deleted first.
     */
    private Job createReplacingLeftover(String ns, Job job) {
        String name = job.getMetadata().getName();
        try {
            return client.batch().v1().jobs().inNamespace(ns).resource(job).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            LOG.infof("Job %s/%s is left from an abandoned launch of the same attempt; replacing it", ns, name);
            client.batch().v1().jobs().inNamespace(ns).withName(name)
                    .withPropagationPolicy(DeletionPropagation.FOREGROUND).withGracePeriod(0).delete();
            client.batch().v1().jobs().inNamespace(ns).withName(name).waitUntilCondition(java.util.Objects::isNull,
                    30, TimeUnit.SECONDS);
            return client.batch().v1().jobs().inNamespace(ns).resource(job).create();
        }
    }

    /** The one handle of a Job found by its id (a second lookup of a watched Job gets the same handle), watched from now on. */
    private JobHandle watch(Job job, Path logFile) {
        JobHandle handle = watched.compute(job.getMetadata().getName(), (n, h) -> h != null && h.isSame(job) ? h
                : new JobHandle(job.getMetadata().getNamespace(), n, job.getMetadata().getUid(), logFile));
        watchJobs();
        return handle;
    }

    /**
     * In cluster mode resource-service placed the grant on one node (its GPUs are counted there): the pod must run
     * on that node, through the scheduler (a node affinity on the node's name), never bypassing it with nodeName.
     */
    static Affinity onNode(String node) {
        if (node == null || node.isBlank()) {
            return null;
        }
        return new AffinityBuilder().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchField().withKey("metadata.name").withOperator("In").withValues(node)
                .endMatchField().endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity()
                .build();
    }

    /** The Job a handle id names ({@code job:<namespace>/<name>}), if it still exists and has labels. */
    private Optional<Job> findJob(String handleId) {
        if (handleId == null || !handleId.startsWith("job:") || handleId.indexOf('/') < 0) {
            return Optional.empty();
        }
        String ns = handleId.substring(4, handleId.indexOf('/'));
        String name = handleId.substring(handleId.indexOf('/') + 1);
        try {
            return Optional.ofNullable(client.batch().v1().jobs().inNamespace(ns).withName(name).get())
                    .filter(job -> job.getMetadata().getLabels() != null);
        } catch (KubernetesClientException e) {
            LOG.warnf("cannot read Job %s: %s", handleId, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public Optional<TrainerHandle> reattach(String handleId, String session, int attempt) {
        return findJob(handleId)
                .filter(job -> dnsPart(session).equals(job.getMetadata().getLabels().get(LABEL_SESSION))
                        && String.valueOf(attempt).equals(job.getMetadata().getLabels().get(LABEL_ATTEMPT)))
                .map(job -> watch(job, files.log(session)).seen(job));
    }

    private static VolumeMount mount(String path, String volume, boolean readOnly) {
        return new VolumeMountBuilder().withMountPath(path).withName(volume).withReadOnly(readOnly).build();
    }

    static Map<String, String> parseNodeSelector(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            int eq = p.indexOf('=');
            if (eq > 0) {
                m.put(p.substring(0, eq).strip(), p.substring(eq + 1).strip());
            }
        }
        return m;
    }

    /** {@code key:Exists:Effect} or {@code key:Equal:value:Effect}, comma separated. */
    static List<Toleration> parseTolerations(String text) {
        List<Toleration> list = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] f = part.strip().split(":", -1);
            if (f.length == 3) {
                list.add(new TolerationBuilder().withKey(f[0]).withOperator(f[1]).withEffect(f[2].isEmpty() ? null : f[2]).build());
            } else if (f.length == 4) {
                list.add(new TolerationBuilder().withKey(f[0]).withOperator(f[1]).withValue(f[2])
                        .withEffect(f[3].isEmpty() ? null : f[3]).build());
            } else if (!part.isBlank()) {
                throw new IllegalArgumentException("toleration '" + part + "' is not key:Operator[:value]:Effect");
            }
        }
        return list;
    }

    /**
     * One trainer Job, followed through the informers until it finishes or disappears. A pod that cannot run
     * (Unschedulable, an image it cannot pull) for longer than the stuck timeout ends the attempt with that reason.
     */
    final class JobHandle implements TrainerHandle {
        private final String namespace;
        private final String name;
        /** The Job object's uid: a later Job of the same name (a relaunch) is another Job. */
        private final String uid;
        private final Path logFile;
        private final CompletableFuture<Integer> exit = new CompletableFuture<>();
        private volatile Pod pod;
        private volatile String cause;
        private volatile String stuckWhy;
        private volatile long stuckSinceNanos;

        JobHandle(String namespace, String name, String uid, Path logFile) {
            this.namespace = namespace;
            this.name = name;
            this.uid = uid;
            this.logFile = logFile;
        }

        /** A pod of this Job, not of an earlier Job of the same name (whose pods may still be terminating). */
        boolean owns(Pod p) {
            var owners = p.getMetadata().getOwnerReferences();
            return uid == null || owners == null || owners.isEmpty()
                    || owners.stream().anyMatch(o -> "Job".equals(o.getKind()) && uid.equals(o.getUid()));
        }

        boolean isSame(Job job) {
            return uid == null || job.getMetadata().getUid() == null || uid.equals(job.getMetadata().getUid());
        }

        /** Applies the Job as just read (after a restart it may have ended while nobody watched). */
        JobHandle seen(Job job) {
            onJob(job);
            return this;
        }

        @Override
        public String id() {
            return "job:" + namespace + "/" + name;
        }

        public String name() {
            return name;
        }

        @Override
        public boolean isAlive() {
            return !exit.isDone();
        }

        @Override
        public CompletableFuture<Integer> exit() {
            return exit;
        }

        @Override
        public Optional<String> failureCause() {
            return Optional.ofNullable(cause);
        }

        /** Deletes the Job with the stop grace: its pod gets SIGTERM, checkpoints and exits. */
        @Override
        public void terminate() {
            delete(stopGraceSeconds);
        }

        @Override
        public void kill() {
            delete(0);
        }

        @Override
        public Optional<String> liveLog(int lines) {
            Pod p = pod;
            if (p == null || exit.isDone()) {
                return Optional.empty();
            }
            try {
                return Optional.ofNullable(client.pods().inNamespace(namespace).withName(p.getMetadata().getName())
                        .tailingLines(lines).getLog());
            } catch (KubernetesClientException e) {
                LOG.debugf("reading the log of pod %s failed: %s", p.getMetadata().getName(), e.getMessage());
                return Optional.empty();
            }
        }

        private void delete(long graceSeconds) {
            try {
                client.batch().v1().jobs().inNamespace(namespace).withName(name)
                        .withPropagationPolicy(DeletionPropagation.BACKGROUND).withGracePeriod(graceSeconds).delete();
            } catch (KubernetesClientException e) {
                LOG.warnf("deleting Job %s/%s failed: %s", namespace, name, e.getMessage());
            }
        }

        void onJob(Job job) {
            JobStatus s = job.getStatus();
            if (exit.isDone() || s == null) {
                return;
            }
            boolean complete = s.getSucceeded() != null && s.getSucceeded() > 0 || condition(s, "Complete");
            boolean failed = s.getFailed() != null && s.getFailed() > 0 || condition(s, "Failed");
            if (complete || failed) {
                Pod p = pod != null ? pod : readPod().orElse(null);
                if (failed) {
                    PodFailure.ended(job, p).ifPresent(c -> cause = c);
                }
                int code = complete ? 0 : PodFailure.exitCode(p).orElse(1);
                copyLogs(p);
                delete(0);
                finish(code);
            }
        }

        /** Deleted: by a stop or kill, by its TTL, or by someone else. */
        void onJobDeleted() {
            finish(-1);
        }

        void onPod(Pod p) {
            if (exit.isDone()) {
                return;
            }
            pod = p;
            PodFailure.ended(null, p).ifPresent(c -> cause = c);
            Optional<String> stuck = PodFailure.stuck(p);
            if (stuck.isEmpty()) {
                stuckWhy = null;
                return;
            }
            if (stuckWhy == null) {
                stuckSinceNanos = System.nanoTime();
                LOG.infof("Job %s/%s cannot run yet: %s", namespace, name, stuck.get());
            }
            stuckWhy = stuck.get();
            if (PodFailure.hopeless(p)) {
                giveUp(stuckWhy);
            }
        }

        void checkStuck() {
            String why = stuckWhy;
            if (why != null && !exit.isDone()
                    && System.nanoTime() - stuckSinceNanos >= config.stuckTimeout().toNanos()) {
                giveUp(why + " (for " + config.stuckTimeout().toSeconds() + " s)");
            }
        }

        private void giveUp(String why) {
            LOG.warnf("Job %s/%s: %s; deleting it", namespace, name, why);
            cause = why;
            delete(0);
            finish(-1);
        }

        private boolean condition(JobStatus s, String type) {
            return s.getConditions() != null && s.getConditions().stream()
                    .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
        }

        private Optional<Pod> readPod() {
            try {
                return client.pods().inNamespace(namespace).withLabel("job-name", name).list().getItems().stream().findFirst();
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }

        private void copyLogs(Pod p) {
            if (logFile == null || p == null) {
                return;
            }
            try {
                String log = client.pods().inNamespace(namespace).withName(p.getMetadata().getName()).getLog();
                if (log != null && !log.isEmpty()) {
                    Files.createDirectories(logFile.getParent());
                    Files.writeString(logFile, log, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            } catch (IOException | RuntimeException e) {
                LOG.debugf("copying the log of Job %s/%s failed: %s", namespace, name, e.getMessage());
            }
        }

        private void finish(int code) {
            watched.remove(name, this);
            exit.complete(code);
        }
    }
}
