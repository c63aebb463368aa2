package io.keisei.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JVM options of one service: its garbage collector, stack size and heap. The collector is chosen per service
 * from measurements (bench/results/2026-12-07-gc.md); {@code KEISEI_<SERVICE>_GC} (serial, parallel, g1, zgc; e.g.
 * KEISEI_GATEWAY_GC) overrides it, {@code KEISEI_SERVICE_HEAP} sets every heap (default 384m),
 * the just-in-time compiler is chosen per service too ({@link #compilerOptions}) and
 * {@code KEISEI_<SERVICE>_JVM_OPTIONS} appends options (space separated, e.g. -Xlog:gc:file=...).
 */
public final class ServiceJvm {

    /** What each collector is called on the command line. */
    public enum Collector {
        SERIAL("-XX:+UseSerialGC"), PARALLEL("-XX:+UseParallelGC"), G1("-XX:+UseG1GC"), ZGC("-XX:+UseZGC");

        private final String flag;

        Collector(String flag) {
            this.flag = flag;
        }

        public String flag() {
            return flag;
        }

        static Collector parse(String variable, String value) {
            try {
                return valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new LaunchException(variable + "=" + value + ": the collector is one of serial, parallel, g1, zgc");
            }
        }
    }

    private ServiceJvm() {
    }

    /**
     * The collector a service runs with unless told otherwise: Parallel for all four. Of Serial, Parallel, G1 and ZGC
     * under the full load harness it was the one run that met every aim (status p99 at 1000 req/s, control calls, WebSocket
     * delivery), its young pauses shorter than Serial's with two threads; G1's remark pauses reached 45 ms, and ZGC's
     * multi-mapped heap put the gateway at 1 GB RSS (bench/results/2026-12-07-gc.md).
     */
    static Collector defaultCollector(String service) {
        return Collector.PARALLEL;
    }

    /**
     * Options of the just-in-time compiler: training-service and resource-service compile with C1 only, after a tenth of
     * the usual calls. The control plane runs its code a few times a minute (a start, a stop, a grant), so a start runs
     * cold: in the interpreter, then in C1's slower profiling tier, waiting for a C2 compilation that comes late or
     * never. Over a fresh suite's first 60 starts (bench/results/2026-12-08-control-warmth.md) the median went 66 → 37
     * ms and the first start 476 → 285 ms; the price is training-service's own read throughput (23 % fewer sessions lists
     * a second, measured there; through the gateway no fewer), which shared reads and replicas absorb, where a slow start is felt by every user on every click.
     * The gateway and metrics-service serve thousands of calls a second and keep the defaults.
     */
    static List<String> compilerOptions(String service) {
        return switch (service) {
            case "training-service", "resource-service" -> List.of("-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=0.1");
            default -> List.of();
        };
    }

    /** {@code KEISEI_GATEWAY} for gateway-service (its port variable without {@code _PORT}). */
    static String prefix(ServiceSpec s) {
        return s.portVariable().replaceAll("_PORT$", "");
    }

    /** The options, before {@code -jar}. */
    public static List<String> options(ServiceSpec s, Map<String, String> env) {
        String gcVariable = prefix(s) + "_GC";
        String gc = env.get(gcVariable);
        Collector collector = gc == null || gc.isBlank() ? defaultCollector(s.name()) : Collector.parse(gcVariable, gc);
        // MetaspaceSize: the first metaspace high-water mark; at the default (~21 MB) a service's class loading under load
        // triggered full collections of up to 154 ms ("Metadata GC Threshold") well after start-up.
        List<String> options = new ArrayList<>(List.of(collector.flag(), "-XX:MetaspaceSize=128m", "-Xss512k",
                "-Xmx" + env.getOrDefault("KEISEI_SERVICE_HEAP", "384m")));
        options.addAll(compilerOptions(s.name()));
        // Appended last: of two values of one option HotSpot takes the later (-XX:TieredStopAtLevel=4 restores C2).
        String extra = env.get(prefix(s) + "_JVM_OPTIONS");
        if (extra != null && !extra.isBlank()) {
            options.addAll(List.of(extra.strip().split("\\s+")));
        }
        return options;
    }
}
