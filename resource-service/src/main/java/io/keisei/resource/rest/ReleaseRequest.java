package io.keisei.resource.rest;

/** Optional body of POST /allocations/{id}/release: why it is released (kept with the allocation). */
public record ReleaseRequest(String reason) {
}
