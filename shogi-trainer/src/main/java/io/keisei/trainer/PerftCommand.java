package io.keisei.trainer;

import io.keisei.trainer.shogi.Perft;
import io.keisei.trainer.shogi.Position;

import java.io.PrintStream;

/**
 * {@code perft --depth N [--sfen "SFEN"]}: runs perft and prints
 * {@code nodes=N captures=N promotions=N checks=N checkmates=N} then {@code nps=N}.
 * Bad arguments or an invalid SFEN give one line on stderr and exit code 2, so scripts can tell
 * a usage error from a wrong count.
 */
final class PerftCommand {
    static final String USAGE = "perft --depth N [--sfen \"SFEN\"]";
    private static final int MAX_DEPTH = 20;

    private PerftCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Integer depth = null;
        String sfen = Position.START_SFEN;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value;
            String name;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else {
                name = a;
                if (!name.equals("--depth") && !name.equals("--sfen")) {
                    err.println("perft: unknown argument '" + a + "'; usage: " + USAGE);
                    return 2;
                }
                if (i + 1 >= args.length) {
                    err.println("perft: " + name + " needs a value; usage: " + USAGE);
                    return 2;
                }
                value = args[++i];
            }
            switch (name) {
                case "--depth" -> {
                    try {
                        depth = Integer.parseInt(value.trim());
                    } catch (NumberFormatException e) {
                        err.println("perft: --depth must be an integer, got '" + value + "'");
                        return 2;
                    }
                    if (depth < 0 || depth > MAX_DEPTH) {
                        err.println("perft: --depth must be between 0 and " + MAX_DEPTH + ", got " + depth);
                        return 2;
                    }
                }
                case "--sfen" -> sfen = value;
                default -> {
                    err.println("perft: unknown argument '" + a + "'; usage: " + USAGE);
                    return 2;
                }
            }
        }
        if (depth == null) {
            err.println("perft: --depth is required; usage: " + USAGE);
            return 2;
        }
        Position pos;
        try {
            pos = Position.fromSfen(sfen);
        } catch (IllegalArgumentException e) {
            err.println("perft: invalid SFEN: " + e.getMessage());
            return 2;
        }
        long start = System.nanoTime();
        Perft.Result r = Perft.run(pos, depth);
        long nanos = Math.max(1, System.nanoTime() - start);
        out.println(r.line());
        out.println("nps=" + (long) (r.nodes() * 1e9 / nanos));
        return 0;
    }
}
