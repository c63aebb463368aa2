package io.keisei.cli;

import picocli.CommandLine;

import java.io.PrintStream;

/**
 * Turns what a command throws into one line on stderr and an exit code: a {@link CliException} as it says, any
 * other exception as an error (1) with its message. The stack trace only under {@code --debug}: users get a
 * sentence, not a Java dump.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {

    private final KeiseiCommand root;

    ErrorReporter(KeiseiCommand root) {
        this.root = root;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        root.out().flush(); // what the command printed before failing comes first
        PrintStream err = root.err();
        if (ex instanceof CliException c) {
            err.println("keisei: " + c.getMessage());
            if (root.debug()) {
                ex.printStackTrace(err);
            }
            return c.exitCode();
        }
        String message = ex.getMessage() == null || ex.getMessage().isBlank() ? ex.getClass().getSimpleName() : ex.getMessage();
        err.println("keisei: " + message + (root.debug() ? "" : " (--debug shows details)"));
        if (root.debug()) {
            ex.printStackTrace(err);
        }
        return ExitCodes.ERROR;
    }
}
