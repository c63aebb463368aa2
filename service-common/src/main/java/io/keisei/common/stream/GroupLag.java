package io.keisei.common.stream;

import java.time.Instant;

/**
 * How far one consumer group is behind on one stream, as measured by {@link GroupLagMonitor}.
 *
 * @param lag        entries the group still has to process: not yet delivered plus delivered but not acknowledged
 *                   (pending). Exact where the server reports the group's {@code lag} (Redis 7 and later); otherwise
 *                   ({@code estimated}) the entries from the group's oldest pending entry, or its last delivered one,
 *                   to the end of the stream, interpolated from the entry ids, which are millisecond times:
 *                   {@code length × (last − cursor) / (last − first)}. That is the distance that trimming eats into
 *                   (the oldest entries go first), so it is the right measure of headroom, if not an exact count.
 * @param pending    entries delivered to the group and not yet acknowledged
 * @param maxLength  the approximate MAXLEN the stream is trimmed to (XADD MAXLEN ~)
 * @param estimated  whether {@code lag} is estimated from ids (Redis 6.2, or no {@code lag} reported)
 * @param measuredAt when it was measured
 */
public record GroupLag(String stream, String group, long lag, long pending, long maxLength, boolean estimated,
                       Instant measuredAt) {

    /** The share of the stream's max length the lag takes: at 1, entries the group has not read are trimmed. */
    public double headroomUsed() {
        return maxLength <= 0 ? 0 : (double) lag / maxLength;
    }

    /** Whether the lag takes more than {@code fraction} of the max length. */
    public boolean beyond(double fraction) {
        return headroomUsed() > fraction;
    }
}
