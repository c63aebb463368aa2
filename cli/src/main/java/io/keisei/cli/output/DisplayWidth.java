package io.keisei.cli.output;

/**
 * How many terminal columns a string takes. Session names may be Japanese, and a CJK character takes two
 * columns: counting chars would misalign every table that has one. (Wide ranges of Unicode's East Asian Width,
 * simplified; combining marks are rare in names and count as one.)
 */
public final class DisplayWidth {

    private DisplayWidth() {
    }

    public static int of(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            w += of(cp);
            i += Character.charCount(cp);
        }
        return w;
    }

    public static int of(int cp) {
        if (cp < 0x1100) {
            return 1;
        }
        boolean wide = cp <= 0x115F                          // Hangul Jamo
                || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) // CJK radicals … Yi
                || (cp >= 0xAC00 && cp <= 0xD7A3)                // Hangul syllables
                || (cp >= 0xF900 && cp <= 0xFAFF)                // CJK compatibility ideographs
                || (cp >= 0xFE30 && cp <= 0xFE4F)                // CJK compatibility forms
                || (cp >= 0xFF00 && cp <= 0xFF60)                // full-width forms
                || (cp >= 0xFFE0 && cp <= 0xFFE6)
                || (cp >= 0x1F300 && cp <= 0x1F64F)              // emoji
                || (cp >= 0x1F900 && cp <= 0x1F9FF)
                || (cp >= 0x20000 && cp <= 0x3FFFD);             // CJK extensions
        return wide ? 2 : 1;
    }

    /** {@code s} cut to at most {@code width} columns, ending in … when it was cut. */
    public static String truncate(String s, int width) {
        if (of(s) <= width) {
            return s;
        }
        if (width <= 0) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int cw = of(cp);
            if (w + cw > width - 1) {
                break;
            }
            b.appendCodePoint(cp);
            w += cw;
            i += Character.charCount(cp);
        }
        return b.append('…').toString();
    }

    /** {@code s} padded with spaces to {@code width} columns. */
    public static String pad(String s, int width) {
        int w = of(s);
        return w >= width ? s : s + " ".repeat(width - w);
    }
}
