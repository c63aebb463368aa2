package io.keisei.cli;

/**
 * A failure the user is told about in one line (more lines only for field errors), with the exit code it ends
 * the command with. Never shown with a stack trace unless {@code --debug}.
 */
public class CliException extends RuntimeException {

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
