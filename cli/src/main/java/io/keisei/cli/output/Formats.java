package io.keisei.cli.output;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** How numbers, sizes, durations and times look in tables and in the watch. */
public final class Formats {

    private Formats() {
    }

    /** 1234567 → "1,234,567". */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Four significant digits at most, no exponent for ordinary values: 0.0312, 512.3, -1.25. */
    public static String number(Double v) {
        if (v == null || v.isNaN()) {
            return "–";
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e7)) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        String s = String.format(Locale.ROOT, a >= 100 ? "%.1f" : "%.4f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /** 4711 → "1h18m31s"; 42 → "42s". */
    public static String duration(long seconds) {
        if (seconds < 0) {
            return "–";
        }
        long h = seconds / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        if (h > 0) {
            return h + "h" + String.format(Locale.ROOT, "%02dm%02ds", m, s);
        }
        return m > 0 ? m + "m" + String.format(Locale.ROOT, "%02ds", s) : s + "s";
    }

    /** 1536 → "1.5 KiB". */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /**
     * An ISO instant from the API in the local zone, to the second; anything else as it came. Formatted by hand: a
     * DateTimeFormatter pattern loads the locale data (CLDR), a noticeable part of a list command's start-up.
     */
    public static String time(String iso) {
        if (iso == null || iso.isEmpty()) {
            return "";
        }
        try {
            return time(Instant.parse(iso));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    /** An instant in the local zone, to the second. */
    public static String time(Instant instant) {
        LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneId.systemDefault());
        return String.format(Locale.ROOT, "%04d-%02d-%02d %02d:%02d:%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                t.getHour(), t.getMinute(), t.getSecond());
    }
}
