/**
 * Schemas of the public API's bodies for the OpenAPI document only. Most /api/v1 calls stream an internal
 * service's answer through unchanged (a {@code Response}), which tells the document nothing about its shape;
 * these records say what that answer is, so that clients can be generated from docs/openapi.yaml. They are
 * never built or serialised at run time: the internal services own the real types (training-service's
 * {@code Session}, metrics-service's {@code MetricHistory}, ...), and a change there must be mirrored here
 * (the client IT in api-client-it reads every shape through a generated client). Types the gateway already
 * shares with the services ({@code io.keisei.contracts}, service-common's {@code Problem}) are used as they are.
 */
package io.keisei.gateway.rest.schema;
