package io.keisei.gateway.rest.schema;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One component of an estimate (resource-service's ResourceEstimate.Item). */
@Schema(name = "EstimateItem", description = "One component of an estimate and the arithmetic behind it.")
public record EstimateItem(String component, long cpuMillis, long memoryMb, int gpus, String basis) {
}
