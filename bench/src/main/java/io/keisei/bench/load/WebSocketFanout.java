package io.keisei.bench.load;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N WebSocket clients subscribed to running sessions and the system topic. Measures delivery latency
 * (the producer's publish time in the message → the client's receive time, same host clock) per
 * message type, and the push intervals each client actually sees per (type, session).
 */
final class WebSocketFanout {

    /** What the run saw. */
    record Result(int connected, int refused, Latencies delivery, Latencies intervals, long messages) {
    }

    private WebSocketFanout() {
    }

    static Result run(URI gateway, String token, List<String> sessions, int clients, int seconds) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4, Daemon.THREADS)).build();
        URI ws = URI.create(gateway.toString().replaceFirst("^http", "ws") + "/ws");
        Latencies delivery = new Latencies();
        Latencies intervals = new Latencies();
        AtomicLong messages = new AtomicLong();
        AtomicLong measuringFrom = new AtomicLong(Long.MAX_VALUE);
        List<WebSocket> open = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < clients; i++) {
            String session = sessions.get(i % sessions.size());
            Listener l = new Listener(token, session, delivery, intervals, messages, measuringFrom);
            try {
                open.add(http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(ws, l).get(20, TimeUnit.SECONDS));
            } catch (Exception e) {
                refused++;
            }
        }
        // Let every client authenticate and get its snapshot before measuring.
        Thread.sleep(3000);
        measuringFrom.set(System.currentTimeMillis());
        Thread.sleep(seconds * 1000L);
        measuringFrom.set(Long.MAX_VALUE);
        int connected = (int) open.stream().filter(w -> !w.isInputClosed()).count();
        for (WebSocket w : open) {
            w.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null);
        }
        Thread.sleep(500);
        open.forEach(WebSocket::abort);
        return new Result(connected, refused, delivery, intervals, messages.get());
    }

    private static final class Listener implements WebSocket.Listener {
        private final String token;
        private final String session;
        private final Latencies delivery;
        private final Latencies intervals;
        private final AtomicLong messages;
        private final AtomicLong measuringFrom;
        private final Map<String, Long> lastArrival = new ConcurrentHashMap<>();
        private final StringBuilder partial = new StringBuilder();

        Listener(String token, String session, Latencies delivery, Latencies intervals, AtomicLong messages, AtomicLong measuringFrom) {
            this.token = token;
            this.session = session;
            this.delivery = delivery;
            this.intervals = intervals;
            this.messages = messages;
            this.measuringFrom = measuringFrom;
        }

        @Override
        public void onOpen(WebSocket w) {
            w.sendText("{\"type\":\"auth\",\"token\":\"" + token + "\"}", true);
            w.sendText("{\"type\":\"subscribe\",\"topic\":\"session:" + session + "\"}", true);
            w.sendText("{\"type\":\"subscribe\",\"topic\":\"system\"}", true);
            w.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                long now = System.currentTimeMillis();
                String text = partial.toString();
                partial.setLength(0);
                if (now >= measuringFrom.get()) {
                    observe(text, now);
                }
            }
            w.request(1);
            return null;
        }

        private void observe(String text, long now) {
            try {
                JsonNode m = Api.JSON.readTree(text);
                String type = m.path("type").asText();
                long produced = m.path("data").path("time").asLong(0);
                if (produced <= 0) {
                    return;
                }
                messages.incrementAndGet();
                delivery.record(type + " publish→receive", (now - produced) * 1_000_000L);
                long pushed = m.path("ts").asLong(0);
                if (pushed > 0) {
                    delivery.record(type + " hub push→receive", (now - pushed) * 1_000_000L);
                }
                String key = type + "|" + m.path("session").asText("");
                Long previous = lastArrival.put(key, now);
                if (previous != null) {
                    intervals.record(type, (now - previous) * 1_000_000L);
                }
            } catch (Exception e) {
                // not JSON: counted nowhere, the hub only sends JSON
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
            return CompletableFuture.completedFuture(null);
        }
    }
}
