package io.keisei.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the status file the supervisor writes ({@code data/status.json}, one component per line). */
final class StatusFile {

    private static final Pattern FIELD = Pattern.compile("\"([a-z_]+)\":\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(null)|(-?\\d+))");

    /** One component's row. Nulls where unknown. */
    record Row(String name, String state, Long pid, int restarts, String lastExit, Instant startedAt) {
        String uptime(Instant now) {
            return startedAt == null ? "-" : Supervisor.human(Duration.between(startedAt, now));
        }
    }

    private StatusFile() {
    }

    static List<Row> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
        List<Row> rows = new ArrayList<>();
        for (String line : lines) {
            if (!line.strip().startsWith("{\"name\"")) {
                continue;
            }
            Map<String, String> f = new LinkedHashMap<>();
            Matcher m = FIELD.matcher(line);
            while (m.find()) {
                f.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(4));
            }
            rows.add(new Row(f.get("name"), f.getOrDefault("state", "?"),
                    f.get("pid") == null ? null : Long.parseLong(f.get("pid")),
                    f.get("restarts") == null ? 0 : Integer.parseInt(f.get("restarts")), f.get("last_exit"),
                    f.get("started_at") == null ? null : Instant.parse(f.get("started_at"))));
        }
        return rows;
    }
}
