package io.keisei.gateway.auth;

import io.keisei.common.rest.ProblemException;
import jakarta.enterprise.context.RequestScoped;

/** The authenticated principal of the current request, set by {@link ApiSecurityFilter}. */
@RequestScoped
public class Caller {

    private Principal principal;
    /** What a valid signed link of this request (sent without a token) grants access to. */
    private String signedLinkTarget;

    void set(Principal principal) {
        this.principal = principal;
    }

    void admitSignedLink(String target) {
        this.signedLinkTarget = target;
    }

    /** Whether this request came without a token but with a valid signed link to {@code target} ({@link AcceptsSignedLink}). */
    public boolean hasSignedLinkFor(String target) {
        return target != null && principal == null && target.equals(signedLinkTarget);
    }

    public Principal get() {
        if (principal == null) {
            throw new ProblemException(401, "Unauthorized", "send 'Authorization: Bearer <token>'", null, null, null);
        }
        return principal;
    }

    /** 403 unless the caller may act on a session owned by {@code sessionOwner}. */
    public Principal requireOwnerOf(String sessionOwner, String what) {
        Principal p = get();
        if (!p.owns(sessionOwner)) {
            throw new ProblemException(403, "Forbidden", "a " + p.role().wireName() + " may " + what
                    + " only their own sessions; this one belongs to '" + sessionOwner + "'", null, null, null);
        }
        return p;
    }
}
