package io.keisei.common.stream;

import io.keisei.contracts.Streams;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The streams' retention ({@code keisei.streams.*}), the same in every service: the approximate MAXLEN each
 * producer trims its stream to (XADD MAXLEN ~), and how the lag of the consumer groups is watched against it
 * ({@link GroupLagMonitor}). Every key is overridden by its environment variable, e.g.
 * {@code KEISEI_STREAMS_METRICS_MAX_LENGTH}, the variable trainers read too (see {@link Streams.Limit}); the
 * defaults are the protocol's ({@link Streams#METRICS_MAXLEN} ...).
 */
@ConfigMapping(prefix = "keisei.streams")
public interface StreamsConfig {

    /** keisei:metrics ({@code KEISEI_STREAMS_METRICS_MAX_LENGTH}). */
    @WithName("metrics.max-length")
    @WithDefault("" + Streams.METRICS_MAXLEN)
    long metricsMaxLength();

    /** keisei:games ({@code KEISEI_STREAMS_GAMES_MAX_LENGTH}). */
    @WithName("games.max-length")
    @WithDefault("" + Streams.GAMES_MAXLEN)
    long gamesMaxLength();

    /** keisei:events ({@code KEISEI_STREAMS_EVENTS_MAX_LENGTH}). */
    @WithName("events.max-length")
    @WithDefault("" + Streams.EVENTS_MAXLEN)
    long eventsMaxLength();

    /** keisei:system ({@code KEISEI_STREAMS_SYSTEM_MAX_LENGTH}). */
    @WithName("system.max-length")
    @WithDefault("" + Streams.SYSTEM_MAXLEN)
    long systemMaxLength();

    /** Each session's keisei:control:{session} ({@code KEISEI_STREAMS_CONTROL_MAX_LENGTH}). */
    @WithName("control.max-length")
    @WithDefault("" + Streams.CONTROL_MAXLEN)
    long controlMaxLength();

    /** keisei:dead-letter ({@code KEISEI_STREAMS_DEAD_LETTER_MAX_LENGTH}). */
    @WithName("dead-letter.max-length")
    @WithDefault("" + Streams.DEAD_LETTER_MAXLEN)
    long deadLetterMaxLength();

    /** How the consumer groups' lag is watched. */
    Lag lag();

    interface Lag {

        /** How often the lag of every consumer group of this service is measured; 0 turns the measuring off. */
        @WithDefault("5s")
        Duration interval();

        /**
         * The share of a stream's max length beyond which a group's lag is reported (the "stream-lag" wellness
         * check is DOWN and a warning is logged): at 1, entries the group has not read are about to be trimmed.
         */
        @WithDefault("0.5")
        double warnFraction();
    }

    /** The limits these values describe. */
    static Streams.MaxLengths maxLengthsOf(StreamsConfig c) {
        Map<Streams.Limit, Long> v = new EnumMap<>(Streams.Limit.class);
        v.put(Streams.Limit.METRICS, c.metricsMaxLength());
        v.put(Streams.Limit.GAMES, c.gamesMaxLength());
        v.put(Streams.Limit.EVENTS, c.eventsMaxLength());
        v.put(Streams.Limit.SYSTEM, c.systemMaxLength());
        v.put(Streams.Limit.CONTROL, c.controlMaxLength());
        v.put(Streams.Limit.DEAD_LETTER, c.deadLetterMaxLength());
        return new Streams.MaxLengths(v);
    }
}
