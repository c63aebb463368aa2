package io.keisei.cli.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keisei.cli.CliException;
import io.keisei.cli.ExitCodes;
import io.keisei.cli.output.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code keisei login} remembers: the gateway's URL and the API token, in
 * {@code $XDG_CONFIG_HOME/keisei/config.json} (else {@code ~/.config/keisei/config.json}). The token is a
 * password, so the file is 600 and its directory 700, and it is written whole to a temporary file first: a
 * crash never leaves half a token, and there is no moment where it is readable by others.
 */
public final class UserConfig {

    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    /** The stored values; either may be null. */
    public record Stored(String url, String token) {
        public static final Stored EMPTY = new Stored(null, null);
    }

    private final Path file;

    public UserConfig(Path file) {
        this.file = file;
    }

    /** The file for this environment: XDG_CONFIG_HOME when set and absolute (as the XDG spec says), else ~/.config. */
    public static UserConfig of(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return new UserConfig(base.resolve("keisei").resolve("config.json"));
    }

    public Path file() {
        return file;
    }

    /** What is stored; nothing when there is no file. A file that is not JSON is an error, not silently ignored. */
    public Stored load() {
        if (!Files.isRegularFile(file)) {
            return Stored.EMPTY;
        }
        try {
            JsonNode n = Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
            if (n == null || !n.isObject()) {
                throw new CliException(ExitCodes.ERROR, file + " is not a JSON object: fix it or delete it (keisei logout)");
            }
            return new Stored(text(n, "url"), text(n, "token"));
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stores both values, replacing what was there. */
    public void save(Stored values) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        if (values.url() != null) {
            n.put("url", values.url());
        }
        if (values.token() != null) {
            n.put("token", values.token());
        }
        try {
            Path dir = file.getParent();
            Files.createDirectories(dir);
            if (posix()) {
                Files.setPosixFilePermissions(dir, DIR_MODE);
            }
            Path tmp = posix()
                    ? Files.createTempFile(dir, ".config-", ".tmp", PosixFilePermissions.asFileAttribute(FILE_MODE))
                    : Files.createTempFile(dir, ".config-", ".tmp");
            try {
                Files.writeString(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n", StandardCharsets.UTF_8);
                move(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Forgets the token and keeps the URL (the next login's default); removes the file when nothing is left. */
    public boolean forgetToken() {
        Stored s = load();
        if (s.token() == null) {
            return false;
        }
        if (s.url() == null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new CliException(ExitCodes.ERROR, "cannot delete " + file + ": " + e.getMessage(), e);
            }
        } else {
            save(new Stored(s.url(), null));
        }
        return true;
    }

    private void move(Path tmp) throws IOException {
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static String text(JsonNode n, String field) {
        return Optional.ofNullable(n.get(field)).filter(JsonNode::isTextual).map(JsonNode::asText).filter(s -> !s.isBlank()).orElse(null);
    }
}
