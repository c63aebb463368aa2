package io.keisei.gateway.auth;

/** Roles of the Keisei security model (ARCHITECTURE.md). */
public enum Role {
    ADMIN, TRAINER, RESEARCHER, VIEWER
}
