package io.keisei.bench.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Gives the gateway cores of its own on this one machine (Linux {@code taskset}): the gateway's threads on some CPUs,
 * the load generator and every other process of the suite (services, PostgreSQL, Redis, trainers) on the rest. On two
 * shared cores the generator reading 5,000 sockets and the gateway writing them wait for each other, and a latency
 * figure is then an upper bound; pinned, the gateway's side is measured as a replica with its own core would see it.
 * Threads made later inherit their creator's CPUs, so trainers launched afterwards stay off the gateway's.
 */
final class CpuPinning {

    private final Set<Integer> gatewayCpus;
    private final Set<Integer> otherCpus;

    private CpuPinning(Set<Integer> gatewayCpus, Set<Integer> otherCpus) {
        this.gatewayCpus = gatewayCpus;
        this.otherCpus = otherCpus;
    }

    /** {@code cpus} as taskset lists them ("0", "0-1", "0,2"); the others are this machine's remaining CPUs. */
    static CpuPinning of(String cpus) {
        Set<Integer> gateway = parse(cpus);
        Set<Integer> others = new TreeSet<>();
        for (int i = 0; i < Machine.cores(); i++) {
            if (!gateway.contains(i)) {
                others.add(i);
            }
        }
        if (gateway.isEmpty() || others.isEmpty()) {
            throw new IllegalArgumentException("--gateway-cpus " + cpus + " must leave at least one of the "
                    + Machine.cores() + " CPUs to the rest");
        }
        return new CpuPinning(gateway, others);
    }

    static Set<Integer> parse(String cpus) {
        Set<Integer> out = new TreeSet<>();
        for (String part : cpus.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int dash = p.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1));
            for (int i = from; i <= to; i++) {
                out.add(i);
            }
        }
        return out;
    }

    String gatewayList() {
        return list(gatewayCpus);
    }

    String otherList() {
        return list(otherCpus);
    }

    /** The gateways on their CPUs; this process (the generator) and the rest of the suite's tree on the others. */
    void apply(ProcessHandle suite, List<Long> gateways) throws IOException, InterruptedException {
        List<Long> rest = new ArrayList<>();
        rest.add(ProcessHandle.current().pid());
        rest.add(suite.pid());
        suite.descendants().map(ProcessHandle::pid).filter(p -> !gateways.contains(p)).forEach(rest::add);
        for (long pid : gateways) {
            taskset(gatewayList(), pid);
        }
        for (long pid : rest) {
            taskset(otherList(), pid);
        }
    }

    private static void taskset(String cpus, long pid) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(pid)).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            // A process that ended meanwhile (a trainer's short-lived child) has nothing left to pin.
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                throw new IOException("taskset -a -p -c " + cpus + " " + pid + " failed: " + said.trim());
            }
        }
    }

    private static String list(Set<Integer> cpus) {
        return String.join(",", cpus.stream().map(String::valueOf).toList());
    }
}
