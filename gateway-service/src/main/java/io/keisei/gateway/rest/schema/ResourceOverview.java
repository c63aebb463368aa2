package io.keisei.gateway.rest.schema;

import io.keisei.contracts.api.HostResources;
import io.keisei.contracts.api.PoolUsage;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** The answer of getResources, which the gateway assembles from resource-service's pools and host. */
@Schema(name = "ResourceOverview", description = "Every pool with its capacity, use and free resources; and the host as "
        + "discovered (null when resource-service could not say).")
public record ResourceOverview(@Schema(required = true) List<PoolUsage> pools, HostResources host) {
}
