package io.keisei.gateway.auth;

/** The caller behind a valid API token. {@code owner} is the identity sessions are owned by. */
public record Principal(String tokenId, String name, String owner, Role role) {

    public boolean has(Permission p) {
        return role.has(p);
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /** Admins act on every session; everyone else only on sessions they own. */
    public boolean owns(String sessionOwner) {
        return isAdmin() || owner.equals(sessionOwner);
    }
}
