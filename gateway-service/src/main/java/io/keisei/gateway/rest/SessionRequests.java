package io.keisei.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.common.rest.ProblemException;
import io.keisei.contracts.api.FieldError;
import io.keisei.gateway.auth.Principal;

import java.util.List;

/**
 * The body of a request that makes a session (create, fork), as training-service gets it: a JSON
 * object owned by the caller. Only an admin may name another owner; everyone else's sessions are
 * their own, with their own role, so quotas and priorities are the caller's.
 */
final class SessionRequests {

    private SessionRequests() {
    }

    /** A body that must be a JSON object, as it came; 400 with a field error otherwise. */
    static ObjectNode object(JsonNode body, String example) {
        if (body == null || !body.isObject()) {
            throw new ProblemException(400, "Bad Request", "the body must be a JSON object",
                    List.of(new FieldError("body", "must be a JSON object such as " + example)), null, null);
        }
        return (ObjectNode) body;
    }

    static ObjectNode ownedByCaller(JsonNode body, Principal p, String example) {
        ObjectNode b = object(body, example).deepCopy();
        if (!p.isAdmin() || !b.hasNonNull("owner")) {
            b.put("owner", p.owner());
            b.put("ownerRole", p.role().wireName());
        }
        return b;
    }
}
