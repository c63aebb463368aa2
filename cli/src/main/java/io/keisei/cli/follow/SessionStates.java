package io.keisei.cli.follow;

import io.keisei.contracts.api.SessionState;

import java.util.Set;

/**
 * The session states the followers care about, from the API's state names. Active: the session holds or waits for
 * resources (the contract's {@link SessionState#isActive()}). Final: no trainer will run again unless someone
 * resumes it; a paused session is neither (it waits for resume). A state this client does not know is neither.
 */
public final class SessionStates {

    private static final Set<SessionState> FINAL = Set.of(SessionState.STOPPED, SessionState.COMPLETED, SessionState.FAILED);

    private SessionStates() {
    }

    public static boolean isActive(String state) {
        SessionState s = parse(state);
        return s != null && s.isActive();
    }

    public static boolean isFinal(String state) {
        return FINAL.contains(parse(state));
    }

    private static SessionState parse(String state) {
        try {
            return state == null ? null : SessionState.fromWire(state);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
