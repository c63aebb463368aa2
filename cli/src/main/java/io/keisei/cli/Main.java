package io.keisei.cli;

import picocli.CommandLine;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The {@code keisei} client's entry point: {@code java -jar keisei-cli.jar <command> ...} (the ./keisei script runs it). */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("--cds-warm-up")) {
            CdsWarmUp.run();
            System.exit(0);
        }
        // UTF-8 whatever the locale says: names may be Japanese and tables end cut cells in "…"; buffered, because a
        // table written a cell at a time would be hundreds of system calls. Flushed before exit.
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 16 * 1024), false,
                StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code;
        try {
            code = run(args, System.getenv(), System.in, out, err);
        } finally {
            out.flush();
        }
        QuickExit.releaseSelectorThreads();
        System.exit(code);
    }

    /** Runs one command line against these streams and environment; the exit code is the result (tests call this). */
    public static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        KeiseiCommand root = new KeiseiCommand(env, in, out, err);
        CommandLine cl = new CommandLine(root);
        TopLevelCommands.register(cl, args); // first: the settings below reach only the subcommands already there
        cl.setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .setExecutionExceptionHandler(new ErrorReporter(root))
                .setParameterExceptionHandler(new UsageErrorReporter());
        int code = cl.execute(args);
        out.flush();
        return code;
    }
}
