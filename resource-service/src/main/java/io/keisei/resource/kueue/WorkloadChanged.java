package io.keisei.resource.kueue;

/** A Workload of one of our trainer Jobs was created or changed (CDI event from {@link KueueWorkloads}). */
public record WorkloadChanged(WorkloadStatus workload) {
}
