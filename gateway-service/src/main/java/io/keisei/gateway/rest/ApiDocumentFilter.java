package io.keisei.gateway.rest;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;

/**
 * Finishes the OpenAPI document where annotations cannot: the error answers every operation shares
 * ({@link CommonResponses}), those of the operations that take an Idempotency-Key ({@link IdempotentOperations}) and
 * path parameters in the order of the path ({@link PathParameterOrder}). Runs when
 * the document is built (mp.openapi.filter in application.properties).
 */
public class ApiDocumentFilter implements OASFilter {

    private static final String API = "/api/v1/";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith(API)) {
                item.getOperations().values().forEach(operation -> {
                    IdempotentOperations.addTo(operation);
                    CommonResponses.addTo(operation);
                    PathParameterOrder.apply(path, operation);
                });
            }
        });
    }
}
