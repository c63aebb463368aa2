package io.keisei.resource.cluster;

import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The nodes' measured CPU and memory from metrics.k8s.io, when the cluster serves it. Many clusters have no
 * metrics-server: the first 404 (or a 403, when our role may not read it) says so, and the API is asked again only
 * every {@link #RECHECK_ABSENT}; meanwhile there are no metrics, and nodes are read by their pods' requests. Any other
 * failure (metrics-server restarting: 503) is retried after {@link #RETRY_FAILED}. A listing is kept for
 * {@link #REFRESH}. Each change of state is logged once.
 */
public final class NodeMetricsSource {

    private static final Logger LOG = Logger.getLogger(NodeMetricsSource.class);

    /** metrics-server scrapes the kubelets every 15 s by default: asking more often returns the same numbers. */
    public static final Duration REFRESH = Duration.ofSeconds(10);
    /** An API that is not served (or not allowed) appears only when someone installs it: asked again rarely. */
    public static final Duration RECHECK_ABSENT = Duration.ofMinutes(5);
    /** A served API that failed is usually back soon. */
    public static final Duration RETRY_FAILED = Duration.ofSeconds(30);

    enum State { UNKNOWN, SERVED, ABSENT, FAILING }

    private final Supplier<List<NodeMetrics>> fetch;
    private final LongSupplier nanoTime;
    private List<NodeMetrics> latest = List.of();
    private long nextFetch;
    private boolean fetched;
    private State state = State.UNKNOWN;

    /**
     * @param fetch    lists every node's metrics (throws as the client does: a
     *                 {@link KubernetesClientException} with the HTTP code)
     * @param nanoTime the clock ({@link System#nanoTime()}; a test's own)
     */
    public NodeMetricsSource(Supplier<List<NodeMetrics>> fetch, LongSupplier nanoTime) {
        this.fetch = fetch;
        this.nanoTime = nanoTime;
    }

    /** The latest listing of the nodes' metrics, asked for again when due; empty while the API is absent or failing. */
    public synchronized List<NodeMetrics> current() {
        long now = nanoTime.getAsLong();
        if (fetched && now - nextFetch < 0) {
            return latest;
        }
        fetched = true;
        try {
            latest = List.copyOf(fetch.get());
            nextFetch = now + REFRESH.toNanos();
            enter(State.SERVED, "metrics.k8s.io is served: node CPU and memory are measured (%d nodes reported)",
                    latest.size());
        } catch (RuntimeException e) {
            latest = List.of();
            int code = e instanceof KubernetesClientException k ? k.getCode() : 0;
            if (code == 404 || code == 403) {
                nextFetch = now + RECHECK_ABSENT.toNanos();
                enter(State.ABSENT, "metrics.k8s.io is %s (HTTP %d): node CPU and memory are their pods' requests; "
                        + "asking again every %d min", code == 404 ? "not served" : "not allowed", code,
                        RECHECK_ABSENT.toMinutes());
            } else {
                nextFetch = now + RETRY_FAILED.toNanos();
                enter(State.FAILING, "metrics.k8s.io failed (%s): node CPU and memory are their pods' requests until "
                        + "it answers; asking again every %d s", e.getMessage(), RETRY_FAILED.toSeconds());
            }
        }
        return latest;
    }

    State state() {
        return state;
    }

    private void enter(State next, String format, Object... args) {
        if (next != state) {
            if (next == State.SERVED) {
                LOG.infof(format, args);
            } else {
                LOG.warnf(format, args);
            }
            state = next;
        }
    }
}
