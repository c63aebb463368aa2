/**
 * The REST bodies of the API, once: each internal service produces (or reads) these records, and the gateway's
 * OpenAPI document names them ({@code @Schema(implementation = ...)}) for the answers it streams through unchanged.
 * A change here changes both the service and docs/openapi.yaml (the gateway's OpenApiDocumentDriftTest). The
 * {@code @Schema} annotations are MicroProfile OpenAPI's, a compile-time API only ({@code provided}); the records
 * carry the wire shape and nothing else, and a service keeps its behaviour and persistence in its own types.
 */
package io.keisei.contracts.api;
