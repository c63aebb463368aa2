package io.keisei.resource.discovery;

import io.keisei.contracts.GpuStatus;
import io.keisei.resource.config.ResourceConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The GPUs of this host, from nvidia-smi, queried at start-up and every
 * keisei.resources.gpu.refresh-interval (utilisation and memory feed system status). No nvidia-smi,
 * or one that fails or hangs, means no GPUs: an empty GPU pool, not an error, said once in the log.
 * GPUs found earlier survive a few failed queries (keisei.resources.gpu.failure-threshold), so a
 * single slow query does not take them away from the pool.
 */
@ApplicationScoped
public class GpuDiscovery {

    private static final Logger LOG = Logger.getLogger(GpuDiscovery.class);

    private final ResourceConfig.Gpu config;
    private final NvidiaSmi smi;
    private final Event<GpuInventoryChanged> changes;

    private volatile List<GpuStatus> gpus = List.of();
    private volatile boolean probed;
    private int failures;
    private boolean unavailableLogged;

    public GpuDiscovery(ResourceConfig config, Event<GpuInventoryChanged> changes) {
        this.config = config.gpu();
        this.smi = new NvidiaSmi(this.config.command(), this.config.timeout());
        this.changes = changes;
    }

    /** The GPUs as last seen (queried now if never queried yet); empty when there are none. */
    public List<GpuStatus> gpus() {
        if (!probed) {
            refresh();
        }
        return gpus;
    }

    /** Whether discovery runs at all (keisei.resources.gpu.discovery). */
    public boolean enabled() {
        return config.discovery();
    }

    @Scheduled(identity = "gpu-refresh", every = "${keisei.resources.gpu.refresh-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRefresh() {
        if (probed) {
            refresh();
        }
    }

    /** Queries nvidia-smi once and updates what is known; fires {@link GpuInventoryChanged} on a change in number. */
    public synchronized void refresh() {
        if (!config.discovery()) {
            if (!probed) {
                LOG.info("GPU discovery is off (keisei.resources.gpu.discovery=false)");
                probed = true;
            }
            return;
        }
        boolean first = !probed;
        NvidiaSmi.Result r = smi.query();
        List<GpuStatus> before = gpus;
        if (r.succeeded()) {
            failures = 0;
            gpus = r.gpus();
            if (first || unavailableLogged || before.size() != gpus.size()) {
                LOG.infof("%d GPU(s) found by %s%s", gpus.size(), config.command(), gpus.isEmpty() ? "" : ": " + describe(gpus));
            }
            unavailableLogged = false;
        } else {
            failures++;
            if (before.isEmpty() || failures >= config.failureThreshold()) {
                gpus = List.of();
                if (!unavailableLogged) {
                    LOG.infof("no GPUs: %s; the GPU pool is empty (not an error; set keisei.resources.local.gpu-count "
                            + "to override)", r.failure());
                    unavailableLogged = true;
                }
            } else {
                LOG.debugf("GPU query failed (%d in a row), keeping the %d GPU(s) seen last: %s", failures, before.size(),
                        r.failure());
            }
        }
        probed = true;
        if (!first && before.size() != gpus.size()) {
            changes.fire(new GpuInventoryChanged(gpus));
        }
    }

    private static String describe(List<GpuStatus> gpus) {
        return gpus.stream().map(g -> g.index() + " " + g.name() + " (" + g.memoryTotalMb() + " MiB)")
                .collect(Collectors.joining(", "));
    }
}
