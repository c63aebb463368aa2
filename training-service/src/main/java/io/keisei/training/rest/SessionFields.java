package io.keisei.training.rest;

/** The rules for the fields of every request that makes a session (create, fork), in one place. */
final class SessionFields {

    static final String NAME_PATTERN = "[\\p{L}\\p{N} _.:-]*";
    static final String NAME_RULE = "may contain letters, digits, spaces and _ . : - only";
    static final String OWNER_PATTERN = "[A-Za-z0-9_.@-]*";
    static final String OWNER_RULE = "may contain letters, digits and _ . @ - only";
    static final String ROLE_PATTERN = "admin|trainer|researcher|viewer";
    static final String ROLE_RULE = "must be admin, trainer, researcher or viewer";

    private SessionFields() {
    }
}
