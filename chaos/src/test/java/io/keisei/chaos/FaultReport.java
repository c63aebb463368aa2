package io.keisei.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** The table of the closing note: fault, recovery time, points published and stored, sessions' end states. */
final class FaultReport {

    record Row(String fault, double recoverySeconds, PointAudit.Result points, String sessions, String restarts,
               int reconnects, String during, String waitedOn) {
    }

    private FaultReport() {
    }

    static void write(Path file, List<Row> rows, List<HubClient> clients, MetricLedger ledger, GapAudit.Result gaps)
            throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# Chaos suite run, ").append(Instant.now()).append("\n\n");
        sb.append("`./mvnw -B -pl chaos verify` (ChaosIT): the packaged suite, 3 built-in trainers, ")
                .append(clients.size()).append(" WebSocket clients.\n\n");
        sb.append("| fault | recovered after | points published / stored | checksum (published = stored) | sessions | "
                + "restarts so far | WebSocket reconnects so far |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append("| ").append(r.fault())
                    .append(" | ").append(r.recoverySeconds() < 0 ? "NOT RECOVERED" : String.format("%.1f s", r.recoverySeconds()))
                    .append(" | ").append(r.points().published()).append(" / ").append(r.points().stored())
                    .append(" | ").append(r.points().publishedChecksum())
                    .append(r.points().equal() ? " = " : " ≠ ").append(r.points().storedChecksum())
                    .append(" | ").append(r.sessions())
                    .append(" | ").append(r.restarts())
                    .append(" | ").append(r.reconnects())
                    .append(" |\n");
        }
        sb.append('\n');
        for (Row r : rows) {
            if (!r.waitedOn().isEmpty()) {
                sb.append("- ").append(r.fault()).append(", waited on: ").append(r.waitedOn()).append('\n');
            }
            if (r.during() != null) {
                sb.append("- ").append(r.fault()).append(": ").append(r.during()).append('\n');
            }
            if (!r.points().equal()) {
                sb.append("- ").append(r.fault()).append(": differences ").append(r.points().differences()).append('\n');
            }
        }
        sb.append("- metric records read by the independent stream reader: ").append(ledger.records())
                .append(" (it reconnected ").append(ledger.reconnects()).append(" times)\n");
        sb.append("- WebSocket: largest hole a client saw beyond what the trainers left between records: ")
                .append(gaps.worstExcessMillis()).append(" ms (tolerance ").append(GapAudit.TOLERANCE_MILLIS)
                .append(" ms); holes: ").append(gaps.gaps().isEmpty() ? "none" : gaps.gaps()).append('\n');
        Files.writeString(file, sb.toString());
    }
}
