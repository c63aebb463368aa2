package io.keisei.training.service;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The last lines of a log file, read from its end so a huge log costs no more than its tail. */
public final class LogTail {

    private LogTail() {
    }

    public static List<String> lastLines(Path file, int n) {
        if (n <= 0 || !Files.isRegularFile(file)) {
            return List.of();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long pos = raf.length();
            List<String> lines = new ArrayList<>();
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            boolean first = true;
            while (pos > 0 && lines.size() < n) {
                int len = (int) Math.min(buf.length, pos);
                pos -= len;
                raf.seek(pos);
                raf.readFully(buf, 0, len);
                for (int i = len - 1; i >= 0; i--) {
                    if (buf[i] == '\n') {
                        if (!(first && line.size() == 0)) {
                            lines.add(reverse(line));
                            if (lines.size() == n) {
                                break;
                            }
                        }
                        line.reset();
                        first = false;
                    } else {
                        line.write(buf[i]);
                        first = false;
                    }
                }
            }
            if (lines.size() < n && line.size() > 0) {
                lines.add(reverse(line));
            }
            Collections.reverse(lines);
            return lines;
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String reverse(java.io.ByteArrayOutputStream reversed) {
        byte[] b = reversed.toByteArray();
        for (int i = 0, j = b.length - 1; i < j; i++, j--) {
            byte t = b[i];
            b[i] = b[j];
            b[j] = t;
        }
        return new String(b, StandardCharsets.UTF_8);
    }
}
