package io.keisei.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What ./keisei up gives each service: one service credential for all four, generated once into the data
 * directory (mode 600) unless KEISEI_SERVICE_TOKEN is set; the internal services on the loopback interface only.
 */
class SuiteEnvironmentTest {

    static Map<String, String> environment(SuiteLayout layout, ServiceSpec s, Map<String, String> launcherEnv) {
        Map<String, String> penv = new HashMap<>(launcherEnv);
        SuiteRunner.serviceEnvironment(penv, layout, s, "jdbc:postgresql://127.0.0.1:1/keisei", "redis://127.0.0.1:2",
                "ksk_admin", "the-service-credential-0123456789");
        return penv;
    }

    @Test
    void theServiceCredentialIsGeneratedOnceOwnerOnlyAndKept(@TempDir Path data) throws Exception {
        Path file = SuiteLayout.fromEnvironment(Map.of("KEISEI_DATA_DIR", data.toString())).serviceTokenFile();
        assertThat(file).isEqualTo(data.resolve("service.token"));
        String first = ServiceToken.resolve(null, file);
        assertThat(first).matches("[A-Za-z0-9_-]{43}"); // 32 random bytes, base64url
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(ServiceToken.resolve("", file)).isEqualTo(first);
        assertThat(ServiceToken.resolve(null, data.resolve("other.token"))).isNotEqualTo(first);
        // KEISEI_SERVICE_TOKEN wins, and must be usable
        assertThat(ServiceToken.resolve(" from-the-environment-0123456789 ", file)).isEqualTo("from-the-environment-0123456789");
        assertThatThrownBy(() -> ServiceToken.resolve("tiny-secret", file)).isInstanceOf(LaunchException.class)
                .hasMessageContaining("KEISEI_SERVICE_TOKEN is too short").hasMessageNotContaining("tiny-secret");
    }

    @Test
    void everyServiceGetsTheCredentialAndOnlyTheGatewayListensBeyondLoopback(@TempDir Path data) {
        SuiteLayout layout = SuiteLayout.fromEnvironment(Map.of("KEISEI_DATA_DIR", data.toString()));
        for (ServiceSpec s : layout.services()) {
            Map<String, String> env = environment(layout, s, Map.of("KEISEI_ADMIN_TOKEN", "inherited"));
            assertThat(env).as(s.name()).containsEntry("KEISEI_SERVICE_TOKEN", "the-service-credential-0123456789")
                    .doesNotContainKey("KEISEI_GATEWAY_BIND_HOST");
            if (s == layout.gateway()) {
                assertThat(env).containsEntry("KEISEI_BIND_HOST", "0.0.0.0").containsEntry("KEISEI_ADMIN_TOKEN", "ksk_admin");
            } else {
                assertThat(env).as(s.name()).containsEntry("KEISEI_BIND_HOST", "127.0.0.1").doesNotContainKey("KEISEI_ADMIN_TOKEN");
            }
        }
    }

    @Test
    void bindHostsAreConfigurable(@TempDir Path data) {
        SuiteLayout layout = SuiteLayout.fromEnvironment(Map.of("KEISEI_DATA_DIR", data.toString()));
        Map<String, String> launcherEnv = Map.of("KEISEI_GATEWAY_BIND_HOST", "127.0.0.1", "KEISEI_BIND_HOST", "10.1.2.3");
        assertThat(environment(layout, layout.gateway(), launcherEnv)).containsEntry("KEISEI_BIND_HOST", "127.0.0.1");
        assertThat(environment(layout, layout.services().get(1), launcherEnv)).containsEntry("KEISEI_BIND_HOST", "10.1.2.3");
    }
}
