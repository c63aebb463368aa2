package io.keisei.gateway.web;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Deep links of the single-page dashboard (/sessions/abc, /models, ...) are served the app's
 * index.html, so a reload or a shared URL works; the app routes on the client.
 */
@ApplicationScoped
public class DashboardRoutes {

    static final String DEEP_LINKS = "^/(sessions|new|models|leaderboard|compare|resources|signin|settings)(/[^.]*)?$";

    void install(@Observes Router router) {
        router.getWithRegex(DEEP_LINKS).order(-100).handler(ctx -> ctx.reroute("/index.html"));
    }
}
