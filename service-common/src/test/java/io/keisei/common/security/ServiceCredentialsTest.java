package io.keisei.common.security;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.configuration.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** No open mode, no guessable credential, exact matches only, and only the health probes without one. */
class ServiceCredentialsTest {

    static ServiceCredentials of(String token) {
        return new ServiceCredentials(new ServiceAuthConfig() {
            public boolean required() {
                return true;
            }

            public Optional<String> token() {
                return Optional.ofNullable(token);
            }
        });
    }

    @Test
    void aServiceWithoutAUsableCredentialRefusesToStartSayingWhatToSet() {
        // ConfigurationException: Quarkus prints its message alone, as the one line of a refused start.
        assertThatThrownBy(() -> of(null)).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("KEISEI_SERVICE_TOKEN is not set");
        assertThatThrownBy(() -> of("   ")).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("KEISEI_SERVICE_TOKEN is not set");
        assertThatThrownBy(() -> of("changeme-secret")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("too short").hasMessageNotContaining("changeme-secret");
    }

    @Test
    void onlyTheExactCredentialMatches() {
        ServiceCredentials c = of(" the-credential-0123456789\n");
        assertThat(c.outgoing()).isEqualTo("the-credential-0123456789");
        assertThat(c.matches("the-credential-0123456789")).isTrue();
        assertThat(c.matches(null)).isFalse();
        assertThat(c.matches("")).isFalse();
        assertThat(c.matches("the-credential-012345678")).isFalse();
        assertThat(c.matches("the-credential-01234567890")).isFalse();
        assertThat(c.matches("THE-CREDENTIAL-0123456789")).isFalse();
    }

    @Test
    void onlyHealthProbesAreOpen() {
        for (String open : new String[]{"/q/health", "/q/health/ready", "/q/health/live", "/q/health/started"}) {
            assertThat(ServiceCredentialFilter.isOpen(open, LaunchMode.NORMAL)).as(open).isTrue();
        }
        for (String closed : new String[]{"/q/metrics", "/q/openapi", "/q/healthz", "/q/dev-ui", "/sessions", "/", null}) {
            assertThat(ServiceCredentialFilter.isOpen(closed, LaunchMode.NORMAL)).as(closed).isFalse();
        }
        assertThat(ServiceCredentialFilter.isOpen("/q/dev-ui/extensions", LaunchMode.DEVELOPMENT)).isTrue();
        assertThat(ServiceCredentialFilter.isOpen("/q/metrics", LaunchMode.DEVELOPMENT)).isFalse();
    }
}
