package io.keisei.gateway.auth;

/** The caller behind a valid API token. */
public record Principal(String tokenId, String name, String owner, Role role) {
}
