package io.keisei.trainer;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * Entry point of the shogi-trainer jar: a small dispatcher from the first argument to a
 * subcommand. To add one, add a case below and a line to {@link #usage}. Unknown or missing
 * commands print usage on stderr and exit with code 2.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command without exiting the JVM; returns its exit code (used by main and tests). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            usage(err);
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "perft":
                return PerftCommand.run(rest, out, err);
            case "learn-bench": return LearnBenchCommand.run(rest, out, err);
            case "match":
                return MatchCommand.run(rest, out, err);
            case "train":
                return new TrainCommand(out, err).run(Arrays.asList(rest));
            case "help":
            case "-h":
            case "--help":
                usage(out);
                return 0;
            default:
                err.println("unknown command '" + args[0] + "'");
                usage(err);
                return 2;
        }
    }

    static void usage(PrintStream s) {
        s.println("usage: java -jar shogi-trainer.jar <command> [options]");
        s.println("commands:");
        s.println("  " + PerftCommand.USAGE + "   count legal move paths (move generator check)");
        s.println("  " + MatchCommand.USAGE
                + "   play N games between two players (A is Black in even games) and report JSON results"
                + " (exit codes: 0 done, 2 bad arguments, 3 bad checkpoint, 4 no Redis, 1 failed)");
        s.println("  " + io.keisei.trainer.run.TrainArgs.USAGE.replace("usage: shogi-trainer ", "")
                + "   one training attempt (exit codes: 0 done/stopped, 10 paused, 2 bad config, 3 bad checkpoint, 4 no Redis, 1 failed)");
    }
}
