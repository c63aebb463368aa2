package io.keisei.contracts.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/** A page of sessions with the total for paging controls. */
@Schema(name = "SessionPage", description = "A page of sessions, newest first, with the total for paging.")
public record SessionPage(@Schema(required = true) List<Session> items,
                          @Schema(description = "0-based page number") int page,
                          @Schema(description = "page size") int size,
                          @Schema(description = "sessions matching the filters, on all pages") long total) {
}
