package io.keisei.contracts;

/**
 * A stream record that cannot be decoded into a protocol message. {@link #kind()} lets consumers
 * count and dead-letter records by cause without parsing the message text.
 */
public class MessageFormatException extends RuntimeException {

    /** Why a record was rejected. */
    public enum Kind {
        MALFORMED_JSON, MISSING_FIELD, INVALID_VALUE, UNKNOWN_VERSION, UNKNOWN_TYPE
    }

    private final Kind kind;

    public MessageFormatException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public MessageFormatException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
