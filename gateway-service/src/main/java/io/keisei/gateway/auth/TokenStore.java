package io.keisei.gateway.auth;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** gateway.api_tokens: look-up by hash, and the idempotent bootstrap of the admin token. */
@ApplicationScoped
public class TokenStore {

    public static final String BOOTSTRAP_ADMIN_ID = "bootstrap-admin";

    private final AgroalDataSource dataSource;

    public TokenStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<Principal> findActive(String token) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT id, name, owner, role FROM gateway.api_tokens WHERE token_hash = ? AND revoked_at IS NULL")) {
            ps.setString(1, TokenHashing.sha256(token));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Principal(rs.getString(1), rs.getString(2), rs.getString(3),
                        Role.valueOf(rs.getString(4).toUpperCase(Locale.ROOT))));
            }
        }
    }

    /** Makes the configured admin token valid; a changed token replaces the previous bootstrap one. */
    public void upsertBootstrapAdmin(String token) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO gateway.api_tokens (id, name, owner, role, token_hash, created_at)
                     VALUES (?, 'bootstrap admin', 'admin', 'admin', ?, ?)
                     ON CONFLICT (id) DO UPDATE SET token_hash = EXCLUDED.token_hash, revoked_at = NULL""")) {
            ps.setString(1, BOOTSTRAP_ADMIN_ID);
            ps.setString(2, TokenHashing.sha256(token));
            ps.setTimestamp(3, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        }
    }
}
