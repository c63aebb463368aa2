package io.keisei.gateway.hub;

/** Redis stream ids ("ms-seq") compared numerically, and checked when a client sends one. */
public final class StreamIds {

    private StreamIds() {
    }

    public static boolean valid(String id) {
        if (id == null || id.length() > 41) {
            return false;
        }
        int dash = id.indexOf('-');
        try {
            if (dash < 0) {
                return Long.parseLong(id) >= 0;
            }
            return Long.parseLong(id.substring(0, dash)) >= 0 && Long.parseLong(id.substring(dash + 1)) >= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public static int compare(String a, String b) {
        long[] x = parse(a);
        long[] y = parse(b);
        int c = Long.compare(x[0], y[0]);
        return c != 0 ? c : Long.compare(x[1], y[1]);
    }

    public static long millis(String id) {
        return parse(id)[0];
    }

    private static long[] parse(String id) {
        int dash = id.indexOf('-');
        return dash < 0 ? new long[]{Long.parseLong(id), 0}
                : new long[]{Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1))};
    }
}
