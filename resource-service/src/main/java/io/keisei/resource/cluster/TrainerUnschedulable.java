package io.keisei.resource.cluster;

/** Our trainer pod of a grant stayed Unschedulable past the re-queue time (a CDI event). */
public record TrainerUnschedulable(String allocationId, String node, String message) {
}
