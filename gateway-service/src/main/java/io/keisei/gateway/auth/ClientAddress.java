package io.keisei.gateway.auth;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * The address a request came from, as budgets per client see it. Behind a proxy this is the proxy's
 * address unless Quarkus is told to trust its forwarding headers
 * ({@code QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING}, with {@code QUARKUS_HTTP_PROXY_TRUSTED_PROXIES}).
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(RoutingContext routing) {
        SocketAddress a = routing == null ? null : routing.request().remoteAddress();
        return a == null || a.hostAddress() == null ? "unknown" : a.hostAddress();
    }
}
