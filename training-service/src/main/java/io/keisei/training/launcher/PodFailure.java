package io.keisei.training.launcher;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Why a trainer's Job or pod failed, or why its pod cannot run, in words a user acts on, from the objects as the API
 * server shows them. Pure: tested on hand-built objects.
 */
public final class PodFailure {

    /** Waiting reasons Kubernetes retries for ever; past the stuck timeout they fail the attempt. */
    static final Set<String> STUCK_WAITING = Set.of("ImagePullBackOff", "ErrImagePull", "CreateContainerConfigError",
            "CreateContainerError", "ErrImageNeverPull");
    /** Waiting reasons that never resolve by waiting. */
    static final Set<String> HOPELESS_WAITING = Set.of("InvalidImageName");

    private PodFailure() {
    }

    /**
     * Why the attempt ended badly, when the objects say so: the pod was OOMKilled, evicted, lost with its node or
     * preempted; the Job hit its deadline. Empty when it simply exited (its exit code tells) or still runs.
     */
    public static Optional<String> ended(Job job, Pod pod) {
        if (pod != null && pod.getStatus() != null) {
            var s = pod.getStatus();
            for (ContainerStatus c : containers(pod)) {
                ContainerStateTerminated t = c.getState() == null ? null : c.getState().getTerminated();
                if (t != null && "OOMKilled".equals(t.getReason())) {
                    return Optional.of("OOMKilled: the trainer used more than its memory limit" + memoryLimit(pod)
                            + "; give the session more memory");
                }
            }
            if ("Evicted".equals(s.getReason())) {
                return Optional.of("Evicted: " + orElse(s.getMessage(), "the node ran short of resources"));
            }
            if ("NodeLost".equals(s.getReason())) {
                return Optional.of("node lost: " + nodeOf(pod) + orElse(s.getMessage(), "stopped answering"));
            }
            Optional<PodCondition> disruption = condition(pod, "DisruptionTarget").filter(c -> "True".equals(c.getStatus()));
            if (disruption.isPresent()) {
                String reason = orElse(disruption.get().getReason(), "");
                String message = orElse(disruption.get().getMessage(), reason);
                return Optional.of(switch (reason) {
                    case "DeletionByTaintManager", "TerminationByKubelet" -> "node lost: " + nodeOf(pod) + message;
                    case "PreemptionByScheduler", "PreemptionByKubeScheduler" -> "preempted by the Kubernetes scheduler: " + message;
                    case "EvictionByEvictionAPI" -> "Evicted: " + message;
                    default -> "disrupted (" + reason + "): " + message;
                });
            }
        }
        if (job != null && job.getStatus() != null && job.getStatus().getConditions() != null) {
            for (JobCondition c : job.getStatus().getConditions()) {
                if ("Failed".equals(c.getType()) && "True".equals(c.getStatus()) && "DeadlineExceeded".equals(c.getReason())) {
                    return Optional.of("DeadlineExceeded: " + orElse(c.getMessage(), "the Job ran past its active deadline"));
                }
            }
        }
        return Optional.empty();
    }

    /** Why the pod cannot start or run yet (Unschedulable, an image it cannot pull, ...); empty while all is well. */
    public static Optional<String> stuck(Pod pod) {
        if (pod == null || pod.getStatus() == null) {
            return Optional.empty();
        }
        Optional<PodCondition> scheduled = condition(pod, "PodScheduled");
        if (scheduled.isPresent() && "False".equals(scheduled.get().getStatus())
                && "Unschedulable".equals(scheduled.get().getReason())) {
            return Optional.of("Unschedulable: " + orElse(scheduled.get().getMessage(), "no node can take the pod"));
        }
        for (ContainerStatus c : containers(pod)) {
            ContainerStateWaiting w = c.getState() == null ? null : c.getState().getWaiting();
            if (w != null && (STUCK_WAITING.contains(w.getReason()) || HOPELESS_WAITING.contains(w.getReason()))) {
                return Optional.of(w.getReason() + ": " + orElse(w.getMessage(),
                        c.getImage() == null ? "its image cannot be used" : "image " + c.getImage()));
            }
        }
        return Optional.empty();
    }

    /** True when waiting cannot help (a malformed image name): fail at once. */
    public static boolean hopeless(Pod pod) {
        return containers(pod).stream().anyMatch(c -> c.getState() != null && c.getState().getWaiting() != null
                && HOPELESS_WAITING.contains(c.getState().getWaiting().getReason()));
    }

    /** The exit code of the trainer container, once it terminated. */
    public static Optional<Integer> exitCode(Pod pod) {
        return containers(pod).stream().map(ContainerStatus::getState)
                .filter(st -> st != null && st.getTerminated() != null)
                .map(st -> st.getTerminated().getExitCode()).findFirst();
    }

    private static List<ContainerStatus> containers(Pod pod) {
        return pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                ? List.of() : pod.getStatus().getContainerStatuses();
    }

    private static Optional<PodCondition> condition(Pod pod, String type) {
        List<PodCondition> list = pod.getStatus().getConditions();
        return list == null ? Optional.empty() : list.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    private static String memoryLimit(Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null || pod.getSpec().getContainers().isEmpty()) {
            return "";
        }
        var resources = pod.getSpec().getContainers().get(0).getResources();
        Quantity memory = resources == null || resources.getLimits() == null ? null : resources.getLimits().get("memory");
        return memory == null ? "" : " of " + memory.toString();
    }

    private static String nodeOf(Pod pod) {
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        return node == null ? "" : "node " + node + ": ";
    }

    private static String orElse(String s, String fallback) {
        return s == null || s.isBlank() ? fallback : s.strip();
    }
}
