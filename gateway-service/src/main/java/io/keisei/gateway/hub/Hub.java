package io.keisei.gateway.hub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keisei.contracts.EventType;
import io.keisei.contracts.GameState;
import io.keisei.contracts.LifecycleEvent;
import io.keisei.contracts.MetricUpdate;
import io.keisei.contracts.Streams;
import io.keisei.contracts.SystemStatus;
import io.keisei.gateway.config.GatewayConfig;
import io.keisei.gateway.perf.LatencyHistogram;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fan-out hub of this replica: takes every record the {@link StreamTail} reads, keeps the live
 * state, and pushes to subscribed clients at the protocol's rates (training updates at most every
 * 500 ms per session and differential; games every 250 ms, latest wins; system every second; events
 * at once). Rates are enforced per session here, once, whatever the number of clients. Evaluations have topics of
 * their own ({@link Topics}): their events, and their games from a slot of their own at the games' rate.
 */
@ApplicationScoped
public class Hub {

    public static final String SESSIONS_TOPIC = "sessions";
    public static final String SYSTEM_TOPIC = "system";
    public static final String SESSION_TOPIC_PREFIX = "session:";
    /** Every evaluation's events (evaluation.*, checkpoint.promoted), for whoever may read models. */
    public static final String EVALUATIONS_TOPIC = "evaluations";
    /** One evaluation's events, allocation events and the game it is playing. */
    public static final String EVALUATION_TOPIC_PREFIX = "evaluation:";
    /** An evaluation's game slot that heard nothing for this long is dropped (its end event was never seen). */
    private static final long EVALUATION_GAME_IDLE_MS = 10 * 60_000;

    private final GatewayConfig.Ws config;
    private final ObjectMapper json;
    private final LiveState live;
    private final SignificanceFilter significance;
    private final Event<LifecycleEvent> lifecycle;
    private final Map<String, Set<ClientConnection>> subscribers = new ConcurrentHashMap<>();
    private final Map<String, LatencyHistogram> deliveryLatency = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> pushed = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hub-ticker");
        t.setDaemon(true);
        return t;
    });
    /**
     * The newest sample of each node not pushed yet, with its stream id, in stream order: every node's goes out once per
     * system interval (in cluster mode one resource-service publishes a sample per node; one node's must not hide
     * another's). Guarded by {@code this}.
     */
    private final Map<String, Map.Entry<String, SystemStatus>> pendingSystem = new LinkedHashMap<>();
    private long lastSystemPush;

    public Hub(GatewayConfig config, ObjectMapper json, LiveState live, Event<LifecycleEvent> lifecycle) {
        this.config = config.ws();
        this.json = json;
        this.live = live;
        this.significance = SignificanceFilter.of(config.ws());
        this.lifecycle = lifecycle;
    }

    void start(@Observes StartupEvent ignored) {
        ticker.scheduleWithFixedDelay(this::tick, 50, 50, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ignored) {
        ticker.shutdownNow();
    }

    // ---- input from the streams --------------------------------------------------------------

    void onMetric(String id, MetricUpdate m) {
        SessionLive s = live.session(m.session());
        s.apply(id, m);
        maybePushTraining(s, System.currentTimeMillis());
    }

    void onGame(String id, GameState g) {
        long now = System.currentTimeMillis();
        String evaluation = EvaluationIds.ofGame(g.gameId());
        if (evaluation != null) {
            EvaluationGameLive e = live.evaluationGame(evaluation);
            e.apply(id, g);
            maybePushEvaluationGame(e, now, false);
        }
        // An evaluation's games reach its session's topic too, as they always have (the session page shows what is
        // played); one published under an evaluation id instead of a session makes no session.
        if (g.session() != null && !EvaluationIds.isEvaluation(g.session())) {
            SessionLive s = live.session(g.session());
            s.apply(id, g);
            maybePushGame(s, now);
        }
    }

    void onSystem(String id, SystemStatus status) {
        live.system(status);
        synchronized (this) {
            // Re-inserted, so the pushes go out in stream order and the last id a client gets is the newest.
            pendingSystem.remove(status.node());
            pendingSystem.put(status.node(), Map.entry(id, status));
        }
        maybePushSystem(System.currentTimeMillis());
    }

    void onEvent(String id, LifecycleEvent e) {
        live.onEvent(e);
        lifecycle.fire(e);
        long now = System.currentTimeMillis();
        if (EvaluationIds.ends(e.type())) {
            // Its last game states go out before the event that says it ended; then nothing more comes for it.
            live.existingEvaluationGame(e.evaluation().id()).ifPresent(g -> maybePushEvaluationGame(g, now, true));
            live.forgetEvaluation(e.evaluation().id());
        }
        deliver(Envelope.event(null, id, now, e, e.time()), Topics.ofEvent(e).toArray(String[]::new));
        if (e.type() == EventType.SESSION_DELETED) {
            live.forget(e.session());
        }
    }

    // ---- throttled pushes --------------------------------------------------------------------

    private void tick() {
        long now = System.currentTimeMillis();
        try {
            for (SessionLive s : live.sessions()) {
                maybePushTraining(s, now);
                maybePushGame(s, now);
            }
            for (EvaluationGameLive g : live.evaluationGames()) {
                maybePushEvaluationGame(g, now, false);
                if (now - g.touchedAt > EVALUATION_GAME_IDLE_MS) {
                    live.forgetEvaluation(g.evaluation);
                }
            }
            maybePushSystem(now);
        } catch (RuntimeException ignored) {
            // one bad tick must not stop the ticker
        }
    }

    private void maybePushTraining(SessionLive s, long now) {
        Envelope env;
        synchronized (s) {
            if (!s.trainingPending || now - s.lastTrainingPush < config.trainingInterval().toMillis()) {
                return;
            }
            s.trainingPending = false;
            Map<String, Double> changes = significance.changes(s.lastSent, s.latest);
            boolean stepMoved = s.lastSentStep < 0 || s.step - s.lastSentStep >= config.stepThreshold()
                    || s.step < s.lastSentStep;
            if (changes.isEmpty() && !stepMoved) {
                return;
            }
            boolean full = s.lastSentStep < 0;
            TrainingUpdate update = new TrainingUpdate(full, s.attempt, s.step, s.metricsTime,
                    full ? new java.util.LinkedHashMap<>(s.latest) : changes, s.stepsPerSecond());
            s.lastSent.putAll(full ? s.latest : changes);
            s.lastSentStep = s.step;
            s.lastTrainingPush = now;
            env = new Envelope(Envelope.TRAINING_UPDATE, null, s.id, s.metricsId, now, update, Streams.METRICS, s.metricsTime);
        }
        deliver(env, SESSION_TOPIC_PREFIX + s.id, SESSIONS_TOPIC);
    }

    private void maybePushGame(SessionLive s, long now) {
        Envelope env;
        synchronized (s) {
            if (!s.gamePending || now - s.lastGamePush < config.gameInterval().toMillis()) {
                return;
            }
            s.gamePending = false;
            s.lastGamePush = now;
            env = new Envelope(Envelope.GAME_STATE, null, s.id, s.gameId, now, s.game, Streams.GAMES, s.game.time());
        }
        deliver(env, SESSION_TOPIC_PREFIX + s.id);
    }

    /** An evaluation's current game to its topic, at the games' rate (or at once, when {@code flush}: it ended). */
    private void maybePushEvaluationGame(EvaluationGameLive g, long now, boolean flush) {
        Envelope env;
        synchronized (g) {
            if (!g.pending || !flush && now - g.lastPush < config.gameInterval().toMillis()) {
                return;
            }
            g.pending = false;
            g.lastPush = now;
            env = new Envelope(Envelope.GAME_STATE, null, sessionOf(g.game), g.gameId, now, g.game, Streams.GAMES, g.game.time());
        }
        deliver(env, EVALUATION_TOPIC_PREFIX + g.evaluation);
    }

    /** The session an evaluation's game names, unless it names the evaluation itself. */
    private static String sessionOf(GameState g) {
        return EvaluationIds.isEvaluation(g.session()) ? null : g.session();
    }

    private void maybePushSystem(long now) {
        List<Map.Entry<String, SystemStatus>> due;
        synchronized (this) {
            // Half an interval of tolerance: at 1 Hz a late sample (a pause in resource-service) is followed by one on
            // time; both go out on arrival rather than the second waiting for the next tick (up to half a second seen).
            if (pendingSystem.isEmpty() || now - lastSystemPush < config.systemInterval().toMillis() / 2) {
                return;
            }
            due = List.copyOf(pendingSystem.values());
            pendingSystem.clear();
            lastSystemPush = now;
        }
        for (Map.Entry<String, SystemStatus> e : due) {
            SystemStatus status = e.getValue();
            deliver(new Envelope(Envelope.SYSTEM_STATUS, null, null, e.getKey(), now, status, Streams.SYSTEM, status.time()),
                    SYSTEM_TOPIC);
        }
    }

    private void deliver(Envelope env, String... topics) {
        for (String topic : topics) {
            Set<ClientConnection> clients = subscribers.get(topic);
            if (clients == null || clients.isEmpty()) {
                continue;
            }
            Envelope e = env.withTopic(topic);
            for (ClientConnection c : clients) {
                c.offer(e, this::serialize);
            }
        }
    }

    // ---- subscriptions -----------------------------------------------------------------------

    // A topic's entry exists only while it has subscribers: the last one to leave removes it (atomically with
    // respect to a new subscriber, under the map's per-key lock), so topics that were once subscribed to
    // cost nothing once nobody listens.

    void subscribe(ClientConnection c, String topic) {
        subscribers.compute(topic, (t, set) -> {
            Set<ClientConnection> s = set != null ? set : ConcurrentHashMap.newKeySet();
            s.add(c);
            return s;
        });
    }

    void unsubscribe(ClientConnection c, String topic) {
        subscribers.computeIfPresent(topic, (t, set) -> {
            set.remove(c);
            return set.isEmpty() ? null : set;
        });
    }

    /** A closed client leaves every topic it had. */
    void unsubscribeAll(ClientConnection c) {
        for (String topic : c.topics()) {
            unsubscribe(c, topic);
        }
    }

    /** Topics with an entry (each has at least one subscriber). */
    int topicCount() {
        return subscribers.size();
    }

    /** (topic, client) pairs over all topics. */
    int subscriptionCount() {
        int n = 0;
        for (Set<ClientConnection> set : subscribers.values()) {
            n += set.size();
        }
        return n;
    }

    /** What a client gets on subscribing without a cursor: the current state of the topic (not counted as deliveries). */
    List<Envelope> snapshot(String topic) {
        long now = System.currentTimeMillis();
        List<Envelope> out = new ArrayList<>();
        if (SYSTEM_TOPIC.equals(topic)) {
            for (SystemStatus s : live.systemStatuses()) {
                out.add(new Envelope(Envelope.SYSTEM_STATUS, topic, null, null, now, s, Streams.SYSTEM, 0));
            }
            return out;
        }
        String evaluation = Topics.evaluationOf(topic);
        if (evaluation != null) {
            live.existingEvaluationGame(evaluation).ifPresent(g -> {
                synchronized (g) {
                    if (g.game != null) {
                        out.add(new Envelope(Envelope.GAME_STATE, topic, sessionOf(g.game), g.gameId, now, g.game, Streams.GAMES, 0));
                    }
                }
            });
            return out;
        }
        String session = Topics.sessionOf(topic);
        Collection<SessionLive> sessions = SESSIONS_TOPIC.equals(topic) ? live.sessions()
                : session != null ? live.existing(session).map(List::of).orElse(List.of()) : List.of();
        for (SessionLive s : sessions) {
            synchronized (s) {
                TrainingUpdate full = s.fullUpdate();
                if (full != null) {
                    out.add(new Envelope(Envelope.TRAINING_UPDATE, topic, s.id, s.metricsId, now, full, Streams.METRICS, 0));
                }
                if (!SESSIONS_TOPIC.equals(topic) && s.game != null) {
                    out.add(new Envelope(Envelope.GAME_STATE, topic, s.id, s.gameId, now, s.game, Streams.GAMES, 0));
                }
            }
        }
        return out;
    }

    /** Subscribers per topic, for the connection stats. */
    Map<String, Integer> subscriberCounts() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        subscribers.forEach((topic, set) -> {
            if (!set.isEmpty()) {
                out.put(topic, set.size());
            }
        });
        return out;
    }

    // ---- serialization and delivery stats ----------------------------------------------------

    /**
     * The text of the envelopes being fanned out, by identity (weak keys compare with ==): one envelope goes to every
     * subscriber of its topic, so it is serialized once, not once per subscriber (1,000 viewers: 1,000 times fewer).
     */
    private final com.github.benmanes.caffeine.cache.Cache<Envelope, String> texts =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().weakKeys().maximumSize(4096)
                    // Its upkeep on the caller's thread: on the common pool it cost 3 % of a core with 5,000 viewers.
                    .executor(Runnable::run).build();

    String serialize(Envelope e) {
        if (e.producedAt() > 0) {
            deliveryLatency.computeIfAbsent(e.type(), t -> new LatencyHistogram())
                    .recordMillis(System.currentTimeMillis() - e.producedAt());
        }
        pushed.computeIfAbsent(e.type(), t -> new AtomicLong()).incrementAndGet();
        return texts.get(e, this::write);
    }

    private String write(Envelope e) {
        try {
            return json.writeValueAsString(e);
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public Map<String, LatencyHistogram.Summary> deliveryLatency() {
        Map<String, LatencyHistogram.Summary> out = new java.util.TreeMap<>();
        deliveryLatency.forEach((type, h) -> out.put(type, h.summary()));
        return out;
    }

    public Map<String, Long> pushedCounts() {
        Map<String, Long> out = new java.util.TreeMap<>();
        pushed.forEach((type, n) -> out.put(type, n.get()));
        return out;
    }
}
