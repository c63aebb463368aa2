package io.keisei.metrics.persistence;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Rows in PostgreSQL's binary COPY format, sent with {@code COPY ... FROM STDIN (FORMAT binary)}:
 * no SQL to parse per row, no text conversion, no conflict check. Used for rows that are known to be
 * new (above their series' high-water mark), which is almost every row ingest writes.
 */
final class BinaryCopy {

    /** "PGCOPY\n\377\r\n\0", then a flags word and a header-extension length, both zero. */
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};

    /** PostgreSQL's binary timestamps count microseconds from 2000-01-01T00:00:00Z. */
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

    private final String sql;
    private ByteBuffer buf; // big-endian, as COPY wants
    private int rows;

    BinaryCopy(String sql, int expectedBytes) {
        this.sql = sql;
        this.buf = ByteBuffer.allocate(HEADER.length + expectedBytes + 2);
        buf.put(HEADER);
    }

    BinaryCopy row(int fields) {
        rows++;
        room(2).putShort((short) fields);
        return this;
    }

    BinaryCopy int2(int v) {
        room(6).putInt(2).putShort((short) v);
        return this;
    }

    BinaryCopy int4(int v) {
        room(8).putInt(4).putInt(v);
        return this;
    }

    BinaryCopy int8(long v) {
        room(12).putInt(8).putLong(v);
        return this;
    }

    BinaryCopy float8(double v) {
        room(12).putInt(8).putDouble(v);
        return this;
    }

    BinaryCopy timestamptz(long epochMillis) {
        return int8(epochMillis * 1000 - PG_EPOCH_MICROS);
    }

    /** Sends the rows (nothing when there are none); returns how many. */
    int send(Connection c) throws SQLException {
        if (rows == 0) {
            return 0;
        }
        room(2).putShort((short) -1);
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            in.writeToCopy(buf.array(), 0, buf.position());
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
        return rows;
    }

    private ByteBuffer room(int bytes) {
        if (buf.remaining() < bytes) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + bytes));
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
        return buf;
    }
}
