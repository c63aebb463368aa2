/**
 * Schemas of the public API's bodies that only the gateway has, for the OpenAPI document only. The answers the
 * internal services produce are records of {@code io.keisei.contracts.api} (training-service's {@code Session},
 * metrics-service's {@code MetricHistory}, ...), which the services build and the gateway's {@code @APIResponse}s name,
 * so that the document cannot drift from them. What stays here: the public request bodies of createSession and
 * forkModel (the gateway reads them and sends training-service its own body, with the owner and role it sets and
 * training-service's validation), the overview the gateway assembles (ResourceOverview), and the free-form objects
 * whose shape the API describes at run time (TrainingConfig, ConfigJsonSchema).
 */
package io.keisei.gateway.rest.schema;
