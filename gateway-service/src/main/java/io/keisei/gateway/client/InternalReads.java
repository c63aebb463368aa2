package io.keisei.gateway.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * The internal answers the gateway reads for itself (permission checks, the status view, the
 * combined resources answer), through typed clients under each service's bulkhead and breaker.
 * Calls the gateway only passes on go through the REST layer's Forwarder, which streams bytes.
 */
@ApplicationScoped
public class InternalReads {

    private final DownstreamClient downstream;
    private final TrainingApi training;
    private final ResourceApi resources;

    public InternalReads(DownstreamClient downstream) {
        this.downstream = downstream;
        this.training = downstream.typed(Service.TRAINING, TrainingApi.class);
        this.resources = downstream.typed(Service.RESOURCE, ResourceApi.class);
    }

    /** A session record; empty when training-service has no such session. */
    public Optional<JsonNode> session(String id) {
        return downstream.read(Service.TRAINING, () -> training.session(id));
    }

    /** A model's metadata; empty when training-service has no such model. */
    public Optional<JsonNode> model(String id) {
        return downstream.read(Service.TRAINING, () -> training.model(id));
    }

    /** An evaluation record; empty when training-service has no such evaluation. */
    public Optional<JsonNode> evaluation(String id) {
        return downstream.read(Service.TRAINING, () -> training.evaluation(id));
    }

    public Optional<JsonNode> pools() {
        return downstream.read(Service.RESOURCE, resources::pools);
    }

    public Optional<JsonNode> host() {
        return downstream.read(Service.RESOURCE, resources::host);
    }
}
