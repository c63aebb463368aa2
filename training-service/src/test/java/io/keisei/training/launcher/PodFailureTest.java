package io.keisei.training.launcher;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The words a user reads when the cluster ends or blocks a trainer, from objects shaped as the API server sends them. */
class PodFailureTest {

    static PodBuilder pod() {
        return new PodBuilder().withNewMetadata().withName("trainer-s-1-abcde").endMetadata()
                .withNewSpec().withNodeName("gpu-node-3").addNewContainer().withName("trainer").withImage("keisei/shogi-trainer:0.1.0")
                .withNewResources().withLimits(Map.of("memory", new Quantity("3072Mi"))).endResources().endContainer().endSpec();
    }

    @Test
    void anOomKilledTrainerSaysItsMemoryLimit() {
        Pod p = pod().withNewStatus().withPhase("Failed").addNewContainerStatus().withName("trainer").withNewState()
                .withNewTerminated().withReason("OOMKilled").withExitCode(137).endTerminated().endState().endContainerStatus()
                .endStatus().build();
        assertThat(PodFailure.ended(null, p)).hasValue(
                "OOMKilled: the trainer used more than its memory limit of 3072Mi; give the session more memory");
        assertThat(PodFailure.exitCode(p)).hasValue(137);
        assertThat(PodFailure.stuck(p)).isEmpty();
    }

    @Test
    void evictionsNodeLossAndSchedulerPreemptionAreNamed() {
        assertThat(PodFailure.ended(null, pod().withNewStatus().withPhase("Failed").withReason("Evicted")
                .withMessage("The node was low on resource: ephemeral-storage.").endStatus().build()))
                .hasValue("Evicted: The node was low on resource: ephemeral-storage.");
        assertThat(PodFailure.ended(null, pod().withNewStatus().withReason("NodeLost")
                .withMessage("Node gpu-node-3 which was running pod is unresponsive").endStatus().build()))
                .hasValue("node lost: node gpu-node-3: Node gpu-node-3 which was running pod is unresponsive");
        assertThat(PodFailure.ended(null, pod().withNewStatus().addNewCondition().withType("DisruptionTarget").withStatus("True")
                .withReason("DeletionByTaintManager").withMessage("Taint manager: deleting due to NoExecute taint")
                .endCondition().endStatus().build()))
                .hasValue("node lost: node gpu-node-3: Taint manager: deleting due to NoExecute taint");
        assertThat(PodFailure.ended(null, pod().withNewStatus().addNewCondition().withType("DisruptionTarget").withStatus("True")
                .withReason("PreemptionByScheduler").withMessage("default-scheduler: preempting to accommodate a higher priority pod")
                .endCondition().endStatus().build()))
                .hasValue("preempted by the Kubernetes scheduler: default-scheduler: preempting to accommodate a higher priority pod");
        // a condition that is not true says nothing
        assertThat(PodFailure.ended(null, pod().withNewStatus().addNewCondition().withType("DisruptionTarget").withStatus("False")
                .withReason("PreemptionByScheduler").endCondition().endStatus().build())).isEmpty();
    }

    @Test
    void aJobPastItsDeadlineSaysSo() {
        Job job = new JobBuilder().withNewStatus().withFailed(1).addNewCondition().withType("Failed").withStatus("True")
                .withReason("DeadlineExceeded").withMessage("Job was active longer than specified deadline").endCondition()
                .endStatus().build();
        assertThat(PodFailure.ended(job, null)).hasValue("DeadlineExceeded: Job was active longer than specified deadline");
        Job plainFailure = new JobBuilder().withNewStatus().withFailed(1).addNewCondition().withType("Failed").withStatus("True")
                .withReason("BackoffLimitExceeded").endCondition().endStatus().build();
        assertThat(PodFailure.ended(plainFailure, null)).as("an ordinary exit is told by its code").isEmpty();
    }

    @Test
    void aPodThatCannotRunIsStuckWithTheSchedulersOrTheKubeletsWords() {
        Pod unschedulable = pod().withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage("0/9 nodes are available: 9 Insufficient nvidia.com/gpu.")
                .endCondition().endStatus().build();
        assertThat(PodFailure.stuck(unschedulable)).hasValue("Unschedulable: 0/9 nodes are available: 9 Insufficient nvidia.com/gpu.");
        assertThat(PodFailure.hopeless(unschedulable)).isFalse();

        Pod backOff = pod().withNewStatus().withPhase("Pending").addNewContainerStatus().withName("trainer").withNewState()
                .withNewWaiting().withReason("ImagePullBackOff").withMessage("Back-off pulling image \"keisei/shogi-trainer:0.1.0\"")
                .endWaiting().endState().endContainerStatus().endStatus().build();
        assertThat(PodFailure.stuck(backOff)).hasValue("ImagePullBackOff: Back-off pulling image \"keisei/shogi-trainer:0.1.0\"");
        assertThat(PodFailure.hopeless(backOff)).isFalse();

        Pod invalid = pod().withNewStatus().withPhase("Pending").addNewContainerStatus().withName("trainer").withNewState()
                .withNewWaiting().withReason("InvalidImageName").endWaiting().endState().endContainerStatus().endStatus().build();
        assertThat(PodFailure.stuck(invalid)).hasValue("InvalidImageName: its image cannot be used");
        assertThat(PodFailure.hopeless(invalid)).isTrue();

        Pod running = pod().withNewStatus().withPhase("Running").addNewCondition().withType("PodScheduled").withStatus("True")
                .endCondition().addNewContainerStatus().withName("trainer").withNewState().withNewRunning().endRunning()
                .endState().endContainerStatus().endStatus().build();
        assertThat(PodFailure.stuck(running)).isEmpty();
        assertThat(PodFailure.ended(null, running)).isEmpty();
        Pod creating = pod().withNewStatus().withPhase("Pending").addNewContainerStatus().withName("trainer").withNewState()
                .withNewWaiting().withReason("ContainerCreating").endWaiting().endState().endContainerStatus().endStatus().build();
        assertThat(PodFailure.stuck(creating)).as("an ordinary wait").isEmpty();
    }
}
