package io.keisei.training.service;

import io.keisei.training.persistence.SessionFiles;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A session's trainer log as API callers read it. Every role that may watch a session may read its
 * log, so where this server keeps its files (data directory, working directory, home) is replaced by
 * a placeholder: those paths say nothing about training and help anyone probing the machine.
 */
@ApplicationScoped
public class TrainerLogs {

    private final SessionFiles files;
    private final TrainerSupervisor supervisor;
    private final Map<String, String> redactions = new LinkedHashMap<>();

    public TrainerLogs(SessionFiles files, TrainerSupervisor supervisor) {
        this.files = files;
        this.supervisor = supervisor;
        // Longest first, so the data directory wins over a working directory it lies in.
        add(files.dataDir().toString(), "$KEISEI_DATA_DIR");
        add(Path.of("").toAbsolutePath().normalize().toString(), "$PWD");
        add(System.getProperty("user.home"), "~");
    }

    private void add(String path, String placeholder) {
        if (path != null && path.length() > 1 && !redactions.containsKey(path)) {
            redactions.put(path, placeholder);
        }
    }

    /**
     * The last {@code lines} lines, with server paths replaced: of the running trainer's own output where its runtime
     * keeps it (a Job's pod, read through the API), else of the session's log file.
     */
    public String tail(String session, int lines) {
        Optional<String> live = supervisor.get(session).flatMap(w -> w.handle().liveLog(lines));
        List<String> last = live.map(text -> {
            List<String> all = text.lines().toList();
            return all.subList(Math.max(0, all.size() - lines), all.size());
        }).orElseGet(() -> LogTail.lastLines(files.log(session), lines));
        if (last.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String line : last) {
            out.append(redact(line)).append('\n');
        }
        return out.toString();
    }

    String redact(String line) {
        String s = line;
        for (Map.Entry<String, String> r : redactions.entrySet()) {
            s = s.replace(r.getKey(), r.getValue());
        }
        return s;
    }
}
