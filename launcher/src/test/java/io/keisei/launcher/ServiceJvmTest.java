package io.keisei.launcher;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The JVM command line ./keisei up gives each service: the collector chosen per service (or named by
 * KEISEI_<SERVICE>_GC), earlier compilation for the two control-plane services, and the user's own options after ours.
 */
class ServiceJvmTest {

    private static final ServiceSpec GATEWAY = new ServiceSpec("gateway-service", 8080, "KEISEI_GATEWAY_PORT", Path.of("."));
    private static final ServiceSpec TRAINING = new ServiceSpec("training-service", 8081, "KEISEI_TRAINING_PORT", Path.of("."));
    private static final ServiceSpec METRICS = new ServiceSpec("metrics-service", 8082, "KEISEI_METRICS_PORT", Path.of("."));
    private static final ServiceSpec RESOURCE = new ServiceSpec("resource-service", 8083, "KEISEI_RESOURCE_PORT", Path.of("."));

    @Test
    void theControlPlaneCompilesEarlyWithC1AndTheBusyServicesAtTheDefaults() {
        assertThat(ServiceJvm.options(TRAINING, Map.of())).contains("-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=0.1");
        assertThat(ServiceJvm.options(RESOURCE, Map.of())).contains("-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=0.1");
        assertThat(ServiceJvm.options(GATEWAY, Map.of())).noneMatch(o -> o.startsWith("-XX:CompileThresholdScaling") || o.startsWith("-XX:TieredStopAtLevel"));
        assertThat(ServiceJvm.options(METRICS, Map.of())).noneMatch(o -> o.startsWith("-XX:CompileThresholdScaling") || o.startsWith("-XX:TieredStopAtLevel"));
    }

    @Test
    void theUsersOptionsComeLastSoThatTheyWin() {
        List<String> options = ServiceJvm.options(TRAINING,
                Map.of("KEISEI_TRAINING_JVM_OPTIONS", " -XX:CompileThresholdScaling=1  -Xlog:gc:file=gc.log "));
        assertThat(options.subList(options.size() - 2, options.size()))
                .containsExactly("-XX:CompileThresholdScaling=1", "-Xlog:gc:file=gc.log");
        assertThat(options.indexOf("-XX:CompileThresholdScaling=0.1")).isLessThan(options.indexOf("-XX:CompileThresholdScaling=1"));
    }

    @Test
    void theCollectorIsParallelUnlessNamedAndANameThatIsNoCollectorIsRefused() {
        assertThat(ServiceJvm.options(GATEWAY, Map.of())).contains("-XX:+UseParallelGC", "-Xmx384m");
        assertThat(ServiceJvm.options(GATEWAY, Map.of("KEISEI_GATEWAY_GC", "G1", "KEISEI_SERVICE_HEAP", "512m")))
                .contains("-XX:+UseG1GC", "-Xmx512m").doesNotContain("-XX:+UseParallelGC");
        assertThatThrownBy(() -> ServiceJvm.options(GATEWAY, Map.of("KEISEI_GATEWAY_GC", "shenandoah")))
                .isInstanceOf(LaunchException.class).hasMessageContaining("KEISEI_GATEWAY_GC=shenandoah");
    }
}
