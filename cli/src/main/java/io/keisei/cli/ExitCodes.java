package io.keisei.cli;

/**
 * The exit status of every command (documented in {@code keisei --help} and the README), so that scripts can
 * tell "not there" from "not allowed" from "not now" without parsing messages.
 */
public final class ExitCodes {

    public static final int OK = 0;
    /** Anything else: a server error (5xx), an unreachable gateway, a failed download check. */
    public static final int ERROR = 1;
    /** The command line was wrong, or the server found the input invalid (400 with field errors, an invalid config). */
    public static final int USAGE = 2;
    public static final int NOT_FOUND = 3;
    /** No token, a token the gateway refuses (401), or a role or ownership that does not allow it (403). */
    public static final int FORBIDDEN = 4;
    /** The session's state does not allow it (409), e.g. pausing a stopped session. */
    public static final int CONFLICT = 5;

    /** The text appended to every command's help. */
    public static final String HELP = "%nExit codes: 0 ok, 1 error (server 5xx, gateway unreachable), 2 usage or invalid input"
            + " (400), 3 not found (404), 4 forbidden (401/403, no token), 5 conflict (409).";

    private ExitCodes() {
    }

    /** The exit code for an HTTP error status. */
    public static int forStatus(int status) {
        return switch (status) {
            case 400, 413, 414, 422 -> USAGE;
            case 401, 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 409 -> CONFLICT;
            default -> ERROR;
        };
    }
}
