package io.keisei.resource.cluster;

import java.util.Set;

/** The cluster's nodes or pods changed (a CDI event, after the settle time): its pools are registered and re-planned. */
public record ClusterChanged(Set<String> pools) {
}
