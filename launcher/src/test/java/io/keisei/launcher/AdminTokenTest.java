package io.keisei.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** The first admin token: the documented form, owner-only on disk, and the same one on every later start. */
class AdminTokenTest {

    @Test
    void aNewTokenHasTheApiTokenFormAndAnOwnerOnlyFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data/admin.token");
        AdminToken.Resolved first = AdminToken.resolve(null, file);
        assertThat(first.token()).startsWith("ksk_").hasSize(4 + 43);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(AdminToken.resolve(null, file).token()).isEqualTo(first.token());
        assertThat(AdminToken.resolve("from-the-environment-0123456789", file).token()).isEqualTo("from-the-environment-0123456789");
    }
}
