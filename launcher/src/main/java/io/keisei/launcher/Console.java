package io.keisei.launcher;

import java.io.PrintStream;

/** The short, readable terminal summary of the launcher; details go to the log files. */
public final class Console {

    private static final PrintStream OUT = System.out;

    private Console() {
    }

    public static void step(String text) {
        OUT.println("  " + text);
        OUT.flush();
    }

    public static void ok(String text) {
        OUT.println("  ✓ " + text);
        OUT.flush();
    }

    public static void fail(String text) {
        System.err.println("  ✗ " + text);
        System.err.flush();
    }

    public static void line(String text) {
        OUT.println(text);
        OUT.flush();
    }
}
