package io.keisei.launcher;

/** A problem the user can fix; printed as one line, exit code 1. */
public class LaunchException extends RuntimeException {

    public LaunchException(String message) {
        super(message);
    }
}
