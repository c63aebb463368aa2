package io.keisei.gateway.auth;

import io.keisei.common.rest.ProblemException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The signing key every replica shares, the link's lifetime and what a link is checked against. */
class DownloadLinksTest {

    static final String CREDENTIAL = "service-credential-0123456789-abcdef";
    static final Clock NOW = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    static DownloadLinks links(Optional<String> key, String credential) {
        return new DownloadLinks(key, credential, Duration.ofMinutes(15), NOW);
    }

    @Test
    void replicasWithTheSameServiceCredentialOrConfiguredKeyAcceptEachOthersLinks() {
        DownloadLinks.Signed a = links(Optional.empty(), CREDENTIAL).sign("m-1");
        assertThat(a.expiresAt()).isEqualTo(NOW.instant().plus(Duration.ofMinutes(15)));
        assertThatCode(() -> links(Optional.empty(), CREDENTIAL).verify("m-1", String.valueOf(a.expires()), a.signature()))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> links(Optional.empty(), CREDENTIAL + "x").verify("m-1", String.valueOf(a.expires()), a.signature()))
                .isInstanceOf(ProblemException.class).hasMessageContaining("not valid");

        Optional<String> key = Optional.of("k".repeat(DownloadLinks.MIN_KEY_LENGTH));
        DownloadLinks.Signed b = links(key, CREDENTIAL).sign("m-1");
        assertThatCode(() -> links(key, "another-credential-0123456789").verify("m-1", String.valueOf(b.expires()), b.signature()))
                .doesNotThrowAnyException();
        // The derived key is not the credential itself, nor the configured key.
        assertThat(b.signature()).isNotEqualTo(a.signature());
        assertThat(links(Optional.of(CREDENTIAL), "x".repeat(40)).sign("m-1").signature()).isNotEqualTo(a.signature());
    }

    @Test
    void aLinkIsForOneModelAndExpiresAtItsSecond() {
        DownloadLinks links = links(Optional.empty(), CREDENTIAL);
        DownloadLinks.Signed s = links.sign("m-1", NOW.instant().plusSeconds(1));
        assertThatCode(() -> links.verify("m-1", String.valueOf(s.expires()), s.signature())).doesNotThrowAnyException();
        assertThatThrownBy(() -> links.verify("m-2", String.valueOf(s.expires()), s.signature()))
                .isInstanceOf(ProblemException.class).hasMessageContaining("not valid");
        DownloadLinks.Signed now = links.sign("m-1", NOW.instant());
        assertThatThrownBy(() -> links.verify("m-1", String.valueOf(now.expires()), now.signature()))
                .isInstanceOf(ProblemException.class).hasMessageContaining("expired at 2026-01-01T00:00:00Z")
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(403));
    }

    @Test
    void aShortKeyOrAnUnreasonableLifetimeStopsTheGatewayWithOneLine() {
        assertThatThrownBy(() -> links(Optional.of("short"), CREDENTIAL)).hasMessageContaining("KEISEI_DOWNLOAD_SIGNING_KEY");
        assertThatThrownBy(() -> new DownloadLinks(Optional.empty(), CREDENTIAL, Duration.ZERO, NOW))
                .hasMessageContaining("KEISEI_DOWNLOAD_LINK_LIFETIME");
        assertThatThrownBy(() -> new DownloadLinks(Optional.empty(), CREDENTIAL, Duration.ofDays(2), NOW))
                .hasMessageContaining("KEISEI_DOWNLOAD_LINK_LIFETIME");
        // Blank counts as unset (an empty environment variable).
        assertThatCode(() -> links(Optional.of("  "), CREDENTIAL)).doesNotThrowAnyException();
    }
}
