package io.keisei.gateway.rest.schema;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** A page of models (training-service's ModelPage). */
@Schema(name = "ModelPage", description = "A page of models, newest step first, with the total for paging.")
public record ModelPage(@Schema(required = true) List<Model> items, int page, int size, long total) {
}
