package io.keisei.gateway.hub;

import io.netty.channel.ChannelHandlerContext;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ConnectionBase;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Runs on the upgrade request of every hub connection. Notes the client's address, as Quarkus' proxy
 * settings make it (like the REST budgets: behind a proxy this is the proxy's address unless Quarkus
 * trusts its forwarding headers, {@code QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING} with
 * {@code QUARKUS_HTTP_PROXY_TRUSTED_PROXIES}); the connection carries it in its user data. And puts the
 * {@link RefusedFrames} handler on the connection, so a frame too big is answered with 1009.
 */
@ApplicationScoped
public class HubUpgradeCheck implements HttpUpgradeCheck {

    static final UserData.TypedKey<String> ADDRESS = UserData.TypedKey.forString("keisei.client-address");
    private static final String HANDLER_NAME = "keisei-ws-refused-frames";

    private final RefusedFrames refusedFrames;

    public HubUpgradeCheck(RefusedFrames refusedFrames) {
        this.refusedFrames = refusedFrames;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        SocketAddress a = context.httpRequest().remoteAddress();
        String address = a == null || a.hostAddress() == null ? "unknown" : a.hostAddress();
        context.userData().put(ADDRESS, address);
        if (context.httpRequest().connection() instanceof ConnectionBase connection) {
            ChannelHandlerContext vertx = connection.channelHandlerContext();
            if (vertx != null && vertx.pipeline().get(HANDLER_NAME) == null) {
                vertx.pipeline().addBefore(vertx.name(), HANDLER_NAME, refusedFrames.handler(address));
            }
        }
        return CheckResult.permitUpgrade();
    }

    @Override
    public boolean appliesTo(String endpointId) {
        return HubSocket.class.getName().equals(endpointId);
    }
}
