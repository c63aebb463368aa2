package io.keisei.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A command from training-service to one trainer, on {@link Streams#control(String)}. */
public record ControlCommand(@JsonProperty(required = true) int v, Type type, String session, String requestId, @JsonProperty(required = true) long time) implements StreamMessage {

    public static final int VERSION = 1;

    /** What the trainer must do. */
    public enum Type {
        /** Checkpoint, then exit 0. */
        STOP("stop"),
        /** Checkpoint, then exit with the trainer's documented pause code. */
        PAUSE("pause"),
        /** Checkpoint now and keep training. */
        CHECKPOINT_NOW("checkpoint_now");

        private final String wire;

        Type(String wire) {
            this.wire = wire;
        }

        @JsonValue
        public String wire() {
            return wire;
        }

        @JsonCreator
        public static Type fromWire(String wire) {
            for (Type t : values()) {
                if (t.wire.equals(wire)) {
                    return t;
                }
            }
            throw new MessageFormatException(MessageFormatException.Kind.UNKNOWN_TYPE, "unknown control command '" + wire + "'");
        }
    }

    public ControlCommand {
        Checks.version(VERSION, v);
        Checks.present("type", type);
        Checks.required("session", session);
        Checks.required("requestId", requestId);
        Checks.nonNegative("time", time);
    }

    public static ControlCommand of(Type type, String session, String requestId) {
        return new ControlCommand(VERSION, type, session, requestId, System.currentTimeMillis());
    }
}
