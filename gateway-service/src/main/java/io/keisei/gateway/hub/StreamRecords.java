package io.keisei.gateway.hub;

import io.keisei.contracts.GameState;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.MessageFormatException;
import io.keisei.contracts.MetricUpdate;
import io.keisei.contracts.StreamCodec;
import io.keisei.contracts.StreamMessage;
import io.keisei.contracts.Streams;
import io.keisei.contracts.SystemStatus;
import org.jboss.logging.Logger;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** Decodes stream entries the hub reads; a malformed one is skipped (metrics-service dead-letters it) and logged once per kind. */
final class StreamRecords {

    private static final Logger LOG = Logger.getLogger(StreamRecords.class);
    private static final Set<MessageFormatException.Kind> LOGGED = EnumSet.noneOf(MessageFormatException.Kind.class);

    private StreamRecords() {
    }

    static Class<? extends StreamMessage> typeOf(String stream) {
        return switch (stream) {
            case Streams.METRICS -> MetricUpdate.class;
            case Streams.GAMES -> GameState.class;
            case Streams.EVENTS -> LifecycleEvent.class;
            case Streams.SYSTEM -> SystemStatus.class;
            default -> throw new IllegalArgumentException("not a hub stream: " + stream);
        };
    }

    /** The decoded record, or null when it is malformed. */
    static StreamMessage decode(String stream, Map<String, String> entry) {
        try {
            return StreamCodec.fromEntry(entry, typeOf(stream));
        } catch (MessageFormatException e) {
            synchronized (LOGGED) {
                if (LOGGED.add(e.kind())) {
                    LOG.warnf("skipping malformed %s record (%s): %s; further ones of this kind are not logged", stream, e.kind(), e.getMessage());
                }
            }
            return null;
        }
    }
}
