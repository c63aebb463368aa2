package io.keisei.bench.load;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N WebSocket clients subscribed to running sessions and the system topic, on one gateway or spread round robin
 * over several replicas (client i → replica i % n). Measures delivery latency (the producer's publish time in the
 * message → the client's receive time, and the hub's push time {@code ts} → the receive time, same host clock) per
 * message type, and the push intervals each client actually sees per (type, session), per replica; and how each
 * client ended: welcomed, refused (handshake failed or closed before its welcome) or dropped, with the close codes.
 *
 * <p>The clients are Vert.x WebSockets on a few event loops, and a message is read with a streaming parser that keeps
 * only the four fields measured: thousands of clients at thousands of messages per second must cost the generator,
 * which shares the machine's cores with the suite, little. Each client behaves as the dashboard does (live.js):
 * authenticates on open and subscribes once welcomed.
 */
final class WebSocketFanout {

    /** Label of the hub push→receive latency of every measured message, whatever its type. */
    static final String ALL_PUSH = "all types hub push→receive";

    /**
     * What the run saw on one gateway. {@code connected}: welcomed and still open at the end of the measurement;
     * {@code refused}: the handshake failed or the gateway closed the socket before its welcome; {@code closes}: every
     * close or failure before the end, as "code reason" (or "handshake: exception"); {@code errors}: error codes the
     * hub sent; {@code connectSeconds}: from the first connect to the last of this gateway's clients welcomed or refused;
     * {@code received}: every message other than welcome, subscribed and error that arrived during the measurement
     * ({@code messages} only those with a publish time); {@code silent}: welcomed clients that received nothing during it;
     * {@code systemPerClient}: the fewest, median and most system_status messages one welcomed client received during it
     * (about one per second each).
     */
    record Result(int connected, int refused, Latencies delivery, Latencies intervals, long messages, int clients, int welcomed,
                  double connectSeconds, Map<String, Integer> closes, Map<String, Integer> errors, long received, int silent,
                  int[] systemPerClient) {
    }

    private static final Runnable NOTHING = () -> { };

    private WebSocketFanout() {
    }

    /** One gateway, clients connected one after the other (the load harness's scenario). */
    static Result run(URI gateway, String token, List<String> sessions, int clients, int seconds) throws InterruptedException {
        return run(List.of(gateway), token, sessions, clients, seconds, 1, NOTHING, NOTHING).get(0);
    }

    /**
     * Clients spread round robin over {@code gateways} (their base URI, e.g. http://127.0.0.1:24080; the hub is at /ws), at
     * most {@code window} of them between the start of their handshake and their welcome at any time (each such socket
     * counts against the gateway's budget of unauthenticated connections per address, and all of them come from
     * 127.0.0.1). Once every client is welcomed or refused and has its subscriptions acknowledged, measures for
     * {@code seconds}; {@code holdStarts} and {@code holdEnds} run at its start and end. One result per gateway, in order.
     */
    static List<Result> run(List<URI> gateways, String token, List<String> sessions, int clients, int seconds, int window,
                            Runnable holdStarts, Runnable holdEnds) throws InterruptedException {
        int loops = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
        WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(clients + 16)
                .setConnectTimeout(10_000).setMaxMessageSize(4 << 20).setMaxFrameSize(4 << 20).setTryUsePerMessageCompression(false)
                .setClosingTimeout(2));
        int n = gateways.size();
        List<Replica> replicas = new ArrayList<>();
        for (URI g : gateways) {
            replicas.add(new Replica(g));
        }
        AtomicLong measuringFrom = new AtomicLong(Long.MAX_VALUE);
        AtomicBoolean ending = new AtomicBoolean();
        Semaphore slots = new Semaphore(Math.max(1, window));
        CountDownLatch settled = new CountDownLatch(clients);
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < clients; i++) {
                Replica r = replicas.get(i % n);
                String session = sessions.get((i / n) % sessions.size());
                // A handshake or an authentication that takes longer than this: go on without its slot (it is counted
                // when it ends, and its release then widens the window by one).
                if (!slots.tryAcquire(30, TimeUnit.SECONDS)) {
                    log("a client has been connecting for 30 s; going on");
                }
                Client c = new Client(i, token, session, r, measuringFrom, ending, () -> {
                    r.lastSettled = System.nanoTime();
                    slots.release();
                    settled.countDown();
                });
                WebSocketConnectOptions o = new WebSocketConnectOptions().setHost(r.base.getHost()).setPort(r.base.getPort())
                        .setURI("/ws").setConnectTimeout(10_000);
                // No request timeout (setTimeout): Vert.x 4.5 then closed the first socket with 1000 once it ran out.
                ws.connect(o).onComplete(ar -> {
                    if (ar.failed()) {
                        Throwable e = ar.cause();
                        r.closes.merge("handshake: " + e.getClass().getSimpleName() + " " + e.getMessage(), 1, Integer::sum);
                        c.settleRefused();
                    } else {
                        c.opened(ar.result());
                    }
                });
            }
            if (!settled.await(180, TimeUnit.SECONDS)) {
                log(settled.getCount() + " clients neither welcomed nor refused after 180 s; measuring the others");
            }
            // Every welcomed client's two subscriptions acknowledged (or refused with an error), then its snapshot.
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline
                    && replicas.stream().anyMatch(r -> r.acknowledged.get() < 2 * r.welcomed.get())) {
                Thread.sleep(100);
            }
            Thread.sleep(3000);
            holdStarts.run();
            measuringFrom.set(System.currentTimeMillis());
            Thread.sleep(seconds * 1000L);
            measuringFrom.set(Long.MAX_VALUE);
            holdEnds.run();
            ending.set(true);
            List<Result> out = new ArrayList<>();
            for (Replica r : replicas) {
                int connected = 0;
                int silent = 0;
                List<Integer> system = new ArrayList<>();
                synchronized (r.clientList) {
                    for (Client c : r.clientList) {
                        if (c.welcomed) {
                            connected += c.socket != null && !c.socket.isClosed() ? 1 : 0;
                            system.add(c.systemMeasured);
                            silent += c.receivedMeasured == 0 ? 1 : 0;
                        }
                    }
                }
                Collections.sort(system);
                int[] spread = system.isEmpty() ? new int[3]
                        : new int[]{system.get(0), system.get(system.size() / 2), system.get(system.size() - 1)};
                out.add(new Result(connected, r.refused.get(), r.delivery, r.intervals, r.messages.get(), r.clients.get(),
                        r.welcomed.get(), (r.lastSettled - t0) / 1e9, new TreeMap<>(r.closes), new TreeMap<>(r.errors),
                        r.received.get(), silent, spread));
            }
            for (Replica r : replicas) {
                synchronized (r.clientList) {
                    for (Client c : r.clientList) {
                        if (c.socket != null && !c.socket.isClosed()) {
                            c.socket.close((short) 1000, "done");
                        }
                    }
                }
            }
            Thread.sleep(Math.min(5000, 500 + clients / 2));
            return out;
        } finally {
            ending.set(true);
            CountDownLatch closed = new CountDownLatch(1);
            vertx.close().onComplete(ar -> closed.countDown());
            closed.await(30, TimeUnit.SECONDS);
        }
    }

    private static void log(String s) {
        System.out.println("[ws] " + s);
    }

    /** One gateway's clients and what they saw. */
    private static final class Replica {
        final URI base;
        final Latencies delivery = new Latencies();
        final Latencies intervals = new Latencies();
        final AtomicLong messages = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        final AtomicInteger clients = new AtomicInteger();
        final AtomicInteger welcomed = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger acknowledged = new AtomicInteger();
        final Map<String, Integer> closes = new ConcurrentHashMap<>();
        final Map<String, Integer> errors = new ConcurrentHashMap<>();
        final List<Client> clientList = new ArrayList<>();
        final AtomicInteger loggedCloses = new AtomicInteger();
        volatile long lastSettled = System.nanoTime();

        Replica(URI base) {
            this.base = base;
        }
    }

    /** One client; its socket's handlers all run on the socket's event loop, one at a time. */
    private static final class Client {
        private static final String WELCOME = "{\"type\":\"welcome\"";
        private static final String SUBSCRIBED = "{\"type\":\"subscribed\"";
        private static final String ERROR = "{\"type\":\"error\"";
        private static final String SYSTEM = "{\"type\":\"system_status\"";

        private final String token;
        private final String session;
        private final Replica replica;
        private final AtomicLong measuringFrom;
        private final AtomicBoolean ending;
        private final Runnable settle;
        private final AtomicBoolean settled = new AtomicBoolean();
        private final Map<String, Long> lastArrival = new HashMap<>();
        private final int index;
        private long openedAt;
        volatile WebSocket socket;
        volatile boolean welcomed;
        /** Messages (other than welcome, subscribed, error) and system_status messages received during the measurement. */
        volatile int receivedMeasured;
        volatile int systemMeasured;

        Client(int index, String token, String session, Replica replica, AtomicLong measuringFrom, AtomicBoolean ending,
               Runnable settle) {
            this.index = index;
            this.token = token;
            this.session = session;
            this.replica = replica;
            this.measuringFrom = measuringFrom;
            this.ending = ending;
            this.settle = settle;
            replica.clients.incrementAndGet();
            synchronized (replica.clientList) {
                replica.clientList.add(this);
            }
        }

        /** The handshake failed or the gateway closed the socket before the welcome. */
        void settleRefused() {
            if (settled.compareAndSet(false, true)) {
                replica.refused.incrementAndGet();
                settle.run();
            }
        }

        /** As the dashboard: authenticate with the first message. */
        void opened(WebSocket w) {
            socket = w;
            openedAt = System.nanoTime();
            w.textMessageHandler(this::onText);
            w.closeHandler(v -> {
                if (!ending.get()) {
                    replica.closes.merge(w.closeStatusCode() + " " + w.closeReason(), 1, Integer::sum);
                    if (replica.loggedCloses.incrementAndGet() <= 5) {
                        log(String.format(java.util.Locale.ROOT, "client %d of %s closed before the end: %s %s, %.1f s after it opened, %s",
                                index, replica.base, w.closeStatusCode(), w.closeReason(), (System.nanoTime() - openedAt) / 1e9,
                                welcomed ? "after its welcome" : "before its welcome"));
                    }
                }
                settleRefused();
            });
            w.exceptionHandler(e -> {
                if (!ending.get()) {
                    replica.closes.merge("error: " + e.getClass().getSimpleName() + " " + e.getMessage(), 1, Integer::sum);
                }
            });
            send(w, "{\"type\":\"auth\",\"token\":\"" + token + "\"}");
        }

        private void send(WebSocket w, String text) {
            w.writeTextMessage(text).onFailure(e -> {
                if (!ending.get()) {
                    replica.errors.merge("client send failed: " + e.getClass().getSimpleName(), 1, Integer::sum);
                }
            });
        }

        private void onText(String text) {
            long now = System.currentTimeMillis();
            if (text.startsWith(WELCOME)) {
                // As the dashboard: subscribe once welcomed.
                send(socket, "{\"type\":\"subscribe\",\"topic\":\"session:" + session + "\"}");
                send(socket, "{\"type\":\"subscribe\",\"topic\":\"system\"}");
                welcomed = true;
                replica.welcomed.incrementAndGet();
                if (settled.compareAndSet(false, true)) {
                    settle.run();
                }
            } else if (text.startsWith(SUBSCRIBED)) {
                replica.acknowledged.incrementAndGet();
            } else if (text.startsWith(ERROR)) {
                error(text);
            } else if (now >= measuringFrom.get()) {
                receivedMeasured++;
                replica.received.incrementAndGet();
                if (text.startsWith(SYSTEM)) {
                    systemMeasured++;
                }
                observe(text, now);
            }
        }

        private void error(String text) {
            String code = "?";
            try {
                code = Api.JSON.readTree(text).path("data").path("code").asText("?");
            } catch (Exception e) {
                // counted as "?"
            }
            replica.errors.merge(code, 1, Integer::sum);
            if (welcomed) {
                replica.acknowledged.incrementAndGet(); // a refused subscription: nothing more to wait for
            }
        }

        /** The envelope's type, session and push time {@code ts}, and its data's publish time {@code time}; the rest skipped. */
        private void observe(String text, long now) {
            String type = null;
            String sessionId = "";
            long pushed = 0;
            long produced = 0;
            try (JsonParser p = Api.JSON.getFactory().createParser(text)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.getCurrentName();
                    JsonToken value = p.nextToken();
                    switch (field) {
                        case "type" -> type = p.getText();
                        case "session" -> sessionId = p.getText();
                        case "ts" -> pushed = value.isNumeric() ? p.getLongValue() : 0;
                        case "data" -> {
                            if (value != JsonToken.START_OBJECT) {
                                p.skipChildren();
                                continue;
                            }
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String f = p.getCurrentName();
                                JsonToken v = p.nextToken();
                                if ("time".equals(f) && v.isNumeric()) {
                                    produced = p.getLongValue();
                                } else {
                                    p.skipChildren();
                                }
                            }
                        }
                        default -> p.skipChildren();
                    }
                }
            } catch (Exception e) {
                return; // not JSON: counted nowhere, the hub only sends JSON
            }
            if (type == null || produced <= 0) {
                return;
            }
            replica.messages.incrementAndGet();
            Latencies delivery = replica.delivery;
            delivery.record(type + " publish→receive", (now - produced) * 1_000_000L);
            if (pushed > 0) {
                delivery.record(type + " hub push→receive", (now - pushed) * 1_000_000L);
                delivery.record(ALL_PUSH, (now - pushed) * 1_000_000L);
            }
            String key = type + "|" + sessionId;
            Long previous = lastArrival.put(key, now);
            if (previous != null) {
                replica.intervals.record(type, (now - previous) * 1_000_000L);
            }
        }
    }
}
