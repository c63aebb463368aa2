package io.keisei.contracts.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** A page of models, newest step first. */
@Schema(name = "ModelPage", description = "A page of models, newest step first, with the total for paging.")
public record ModelPage(@Schema(required = true) List<Checkpoint> items, int page, int size, long total) {
}
