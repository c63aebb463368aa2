package io.keisei.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.cli.ExitCodes;
import io.keisei.cli.output.Contracts;
import io.keisei.cli.output.Formats;
import io.keisei.cli.output.Json;
import io.keisei.cli.output.Table;
import io.keisei.contracts.GpuStatus;
import io.keisei.contracts.SystemStatus;
import io.keisei.contracts.allocation.Allocation;
import io.keisei.contracts.api.PoolUsage;
import io.keisei.contracts.api.ResourceAmount;
import picocli.CommandLine.Command;

import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code keisei resources}: what the API offers about capacity, in one view: the pools (capacity, used, free),
 * the allocations (granted, then the queue with positions and reasons) and the nodes' latest samples.
 */
@Command(name = "resources", description = "Pools (capacity, used, free), allocations and the queue with reasons, nodes.")
public final class ResourcesCommand extends ApiCommand {

    @Override
    public Integer call() {
        JsonNode resources = api().get("/resources");
        JsonNode allocations = api().get("/resources/allocations");
        JsonNode nodes = api().get("/system/nodes");
        ObjectNode all = Json.MAPPER.createObjectNode();
        all.set("pools", resources.path("pools"));
        all.set("host", resources.path("host"));
        all.set("allocations", allocations);
        all.set("nodes", nodes);
        output().print(all, () -> pools(resources.path("pools")) + "\n" + allocations(allocations) + "\n" + nodes(nodes));
        return ExitCodes.OK;
    }

    private String pools(JsonNode pools) {
        Table t = new Table("POOL", "KIND", "CPU USED/TOTAL", "MEMORY USED/TOTAL", "GPUS USED/TOTAL", "GRANTED", "QUEUED");
        for (PoolUsage p : Contracts.list(pools, PoolUsage.class)) {
            ResourceAmount cap = p.capacity();
            ResourceAmount used = p.used();
            t.row(p.name(), p.kind(), cores(used.cpuMillis()) + "/" + cores(cap.cpuMillis()),
                    Formats.bytes(used.memoryMb() << 20) + "/" + Formats.bytes(cap.memoryMb() << 20),
                    used.gpus() + "/" + cap.gpus(), p.granted(), p.queued());
        }
        return output().render(t);
    }

    private String allocations(JsonNode array) {
        Table t = new Table("SESSION", "OWNER", "STATE", "POOL", "CPU", "MEMORY", "GPUS", "QUEUE", "REASON").fixed(0);
        for (Allocation a : Contracts.list(array, Allocation.class)) {
            t.row(a.session(), a.owner(), a.state() == null ? "" : a.state().toString().toLowerCase(Locale.ROOT), a.pool(),
                    cores(a.cpuMillis()), Formats.bytes(a.memoryMb() << 20),
                    a.gpuIndices().isEmpty() ? String.valueOf(a.gpus()) : a.gpuIndices().stream().map(String::valueOf).collect(Collectors.joining(",")),
                    a.queuePosition() == null ? "" : "#" + a.queuePosition(), a.reason());
        }
        return t.size() == 0 ? "No allocations.\n" : output().render(t);
    }

    private String nodes(JsonNode array) {
        Table t = new Table("NODE", "CPU", "MEMORY USED/TOTAL", "GPUS");
        for (SystemStatus s : Contracts.list(array, SystemStatus.class)) {
            // A cluster node's sample: its pool, "(requested)" where CPU and memory are not measured, GPUs by count.
            String requested = SystemStatus.USAGE_REQUESTS.equals(s.usageSource()) ? " (requested)" : "";
            t.row(s.pool() == null ? s.node() : s.node() + " (" + s.pool() + ")",
                    String.format(Locale.ROOT, "%.0f%%", s.cpuPercent()) + requested,
                    Formats.bytes(s.memoryUsedMb() << 20) + "/" + Formats.bytes(s.memoryTotalMb() << 20) + requested,
                    s.gpus().isEmpty() ? "none" : s.usageSource() != null ? clusterGpus(s)
                            : s.gpus().stream().map(ResourcesCommand::gpu).collect(Collectors.joining("; ")));
        }
        return t.size() == 0 ? "No node has reported yet.\n" : output().render(t);
    }

    /** "6/8 requested NVIDIA-H100-80GB-HBM3": a cluster node's GPUs are known by count and product only. */
    private static String clusterGpus(SystemStatus s) {
        return (s.gpusRequested() == null ? 0 : s.gpusRequested()) + "/" + s.gpus().size() + " requested "
                + s.gpus().stream().map(GpuStatus::name).distinct().collect(Collectors.joining(", "));
    }

    private static String gpu(GpuStatus g) {
        return g.index() + ": " + g.name() + String.format(Locale.ROOT, " %.0f%%", g.utilizationPercent());
    }

    /** 2500 millicores → "2.5". */
    private static String cores(long millis) {
        return Formats.number(millis / 1000.0);
    }
}
