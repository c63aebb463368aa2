package io.keisei.gateway.hub;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Frames the server will not read: bigger than {@code quarkus.websockets-next.server.max-frame-size},
 * a message whose frames add up to more than {@code max-message-size}, or malformed. The client is
 * told why with the close code of RFC 6455 (1009 message too big; 1002 protocol error; 1007 invalid
 * data), and the server stays quiet about it: a client can send such frames at will, so they are
 * counted ({@code keisei_gateway_ws_refused_frames_total}) and logged at most once a minute, in one
 * line without a stack trace.
 *
 * <p>A frame over the frame limit is refused by Netty's decoder as soon as its header arrives, before
 * its payload is buffered. Vert.x then closes the TCP connection at once, without a close frame (the
 * client sees 1006), and websockets-next reported it as an unhandled error (1011, a stack trace). The
 * {@link #handler handler} installed on each hub connection at the upgrade takes that exception first:
 * it sends the close frame, half-closes, and lets the client close its side (what it is still
 * sending is read and discarded meanwhile; closing with unread input would reset the connection and
 * lose the close frame), closing for good after {@link #LINGER_SECONDS} at most.
 */
@ApplicationScoped
public class RefusedFrames {

    private static final Logger LOG = Logger.getLogger(RefusedFrames.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    static final int LINGER_SECONDS = 5;

    private final MeterRegistry registry;
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
    private final AtomicLong unlogged = new AtomicLong();

    public RefusedFrames(MeterRegistry registry) {
        this.registry = registry;
    }

    static String reason(int code) {
        return switch (code) {
            case HubSocket.MESSAGE_TOO_BIG -> "Message too big";
            case HubSocket.INVALID_PAYLOAD -> "Invalid frame data";
            default -> "Malformed frame";
        };
    }

    /** Counts a refused frame and logs it, one line per interval (saying how many went unlogged). */
    void report(String address, int code, String detail) {
        registry.counter("keisei_gateway_ws_refused_frames_total", "code", Integer.toString(code)).increment();
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= LOG_INTERVAL_NANOS && lastLog.compareAndSet(last, now)) {
            long more = unlogged.getAndSet(0);
            String d = detail == null ? "" : detail.length() > 160 ? detail.substring(0, 160) + "…" : detail;
            LOG.warnf("WebSocket from %s closed with %d (%s): %s%s", address, code, reason(code), d,
                    more == 0 ? "" : "; " + more + " more such closes since the last line (one line per minute)");
        } else {
            unlogged.incrementAndGet();
        }
    }

    /** A handler for one connection's pipeline, placed before Vert.x' own. */
    ChannelHandler handler(String address) {
        return new Handler(address);
    }

    private final class Handler extends ChannelInboundHandlerAdapter {

        private final String address;
        private boolean refused;

        Handler(String address) {
            this.address = address;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof CorruptedWebSocketFrameException e)) {
                ctx.fireExceptionCaught(cause);
                return;
            }
            if (refused) {
                return;
            }
            refused = true;
            WebSocketCloseStatus status = e.closeStatus() != null ? e.closeStatus() : WebSocketCloseStatus.PROTOCOL_ERROR;
            report(address, status.code(), e.getMessage());
            ctx.writeAndFlush(new CloseWebSocketFrame(status.code(), reason(status.code()))).addListener(f -> {
                if (ctx.channel() instanceof DuplexChannel duplex && f.isSuccess()) {
                    duplex.shutdownOutput();
                    ctx.executor().schedule(() -> {
                        ctx.close();
                    }, LINGER_SECONDS, TimeUnit.SECONDS);
                } else {
                    ctx.close();
                }
            });
        }
    }
}
