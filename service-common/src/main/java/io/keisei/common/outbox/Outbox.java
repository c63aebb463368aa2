package io.keisei.common.outbox;

import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.StreamMessage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * The writing end of a transactional outbox: a stream message is inserted into the service's
 * {@code outbox} table on the connection of the transaction that makes the state change, so the
 * event exists if and only if the change was committed. {@link OutboxRelay} then appends the rows
 * to their streams in id order. Each service migrates its own table (same columns in every schema):
 *
 * <pre>
 * CREATE TABLE outbox (id bigserial PRIMARY KEY, stream text NOT NULL, max_len bigint NOT NULL,
 *                      payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT clock_timestamp());
 * </pre>
 *
 * Order: rows are relayed in id order, and an id is taken when the row is inserted. Messages whose
 * order matters (one session's events) must be appended while holding the lock that orders their
 * state changes (the session's or the pool's row lock), so that id order is their commit order.
 */
public final class Outbox {

    private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?");

    private final String table;

    /** @param table the schema-qualified table, e.g. {@code resource.outbox} */
    public Outbox(String table) {
        if (!TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("not a table name: " + table);
        }
        this.table = table;
    }

    public String table() {
        return table;
    }

    /**
     * Adds a message for {@code stream} (trimmed to about {@code maxLen} entries when relayed) to the
     * transaction of {@code c}; nothing is sent unless that transaction commits.
     */
    public void append(Connection c, String stream, StreamMessage message, long maxLen) throws SQLException {
        if (c.getAutoCommit()) {
            throw new IllegalStateException("the outbox is written inside the transaction of the state change");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (stream, max_len, payload) VALUES (?, ?, ?)")) {
            ps.setString(1, stream);
            ps.setLong(2, maxLen);
            ps.setString(3, StreamCodec.encode(message));
            ps.executeUpdate();
        }
    }
}
