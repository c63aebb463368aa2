package io.keisei.cli.settings;

import io.keisei.cli.CliException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserConfigTest {

    @TempDir
    Path home;

    @Test
    void theFileIsUnderXdgConfigHomeElseDotConfig() {
        assertThat(UserConfig.of(Map.of("XDG_CONFIG_HOME", "/x/cfg", "HOME", "/home/u")).file()).isEqualTo(Path.of("/x/cfg/keisei/config.json"));
        assertThat(UserConfig.of(Map.of("HOME", "/home/u")).file()).isEqualTo(Path.of("/home/u/.config/keisei/config.json"));
        // The XDG spec: a relative XDG_CONFIG_HOME is invalid and ignored.
        assertThat(UserConfig.of(Map.of("XDG_CONFIG_HOME", "rel", "HOME", "/home/u")).file()).isEqualTo(Path.of("/home/u/.config/keisei/config.json"));
    }

    @Test
    void savedValuesAreReadBackFromAFileOnlyTheUserCanRead() throws Exception {
        UserConfig c = UserConfig.of(Map.of("HOME", home.toString()));
        assertThat(c.load()).isEqualTo(UserConfig.Stored.EMPTY);
        c.save(new UserConfig.Stored("http://gw:8080", "ksk_secret"));
        assertThat(c.load()).isEqualTo(new UserConfig.Stored("http://gw:8080", "ksk_secret"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(c.file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(c.file().getParent()))).isEqualTo("rwx------");
        // No temporary file is left behind.
        try (var files = Files.list(c.file().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("config.json");
        }
    }

    @Test
    void aLoosenedDirectoryIsTightenedOnSave() throws Exception {
        Path dir = Files.createDirectories(home.resolve(".config/keisei"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        UserConfig c = UserConfig.of(Map.of("HOME", home.toString()));
        c.save(new UserConfig.Stored("http://a", "t"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    }

    @Test
    void logoutForgetsTheTokenAndKeepsTheUrl() {
        UserConfig c = UserConfig.of(Map.of("HOME", home.toString()));
        assertThat(c.forgetToken()).isFalse();
        c.save(new UserConfig.Stored("http://gw:8080", "ksk_secret"));
        assertThat(c.forgetToken()).isTrue();
        assertThat(c.load()).isEqualTo(new UserConfig.Stored("http://gw:8080", null));
        c.save(new UserConfig.Stored(null, "t"));
        assertThat(c.forgetToken()).isTrue();
        assertThat(Files.exists(c.file())).isFalse();
    }

    @Test
    void aBrokenFileIsAnErrorNotAnEmptyLogin() throws Exception {
        UserConfig c = UserConfig.of(Map.of("HOME", home.toString()));
        Files.createDirectories(c.file().getParent());
        Files.writeString(c.file(), "not json");
        assertThatThrownBy(c::load).isInstanceOf(CliException.class).hasMessageContaining(c.file().toString());
    }

    @Test
    void optionsBeatTheEnvironmentWhichBeatsTheStoredLogin() {
        UserConfig.Stored stored = new UserConfig.Stored("http://stored:1", "stored-token");
        assertThat(Endpoint.resolve(null, null, Map.of(), UserConfig.Stored.EMPTY))
                .isEqualTo(new Endpoint(java.net.URI.create("http://localhost:8080"), null));
        assertThat(Endpoint.resolve(null, null, Map.of(), stored).baseUrl().toString()).isEqualTo("http://stored:1");
        assertThat(Endpoint.resolve(null, null, Map.of("KEISEI_URL", "http://env:2/", "KEISEI_TOKEN", "env-token"), stored))
                .isEqualTo(new Endpoint(java.net.URI.create("http://env:2"), "env-token"));
        assertThat(Endpoint.resolve("opt:3", "opt-token", Map.of("KEISEI_URL", "http://env:2", "KEISEI_TOKEN", "e"), stored))
                .isEqualTo(new Endpoint(java.net.URI.create("http://opt:3"), "opt-token"));
    }

    @Test
    void urlsAreCheckedAndTheHubUrlFollowsTheScheme() {
        assertThat(Endpoint.parseUrl("https://k.example.org/keisei/").toString()).isEqualTo("https://k.example.org/keisei");
        assertThat(new Endpoint(Endpoint.parseUrl("https://k.example.org/keisei"), "t").webSocketUrl().toString())
                .isEqualTo("wss://k.example.org/keisei/ws");
        assertThat(new Endpoint(Endpoint.parseUrl("localhost:8080"), "t").webSocketUrl().toString()).isEqualTo("ws://localhost:8080/ws");
        assertThatThrownBy(() -> Endpoint.parseUrl("ftp://x")).hasMessageContaining("not an http(s) URL");
        assertThatThrownBy(() -> new Endpoint(Endpoint.parseUrl("http://x"), null).requireToken())
                .isInstanceOf(CliException.class).hasMessageContaining("keisei login");
    }
}
