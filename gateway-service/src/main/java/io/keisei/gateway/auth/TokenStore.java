package io.keisei.gateway.auth;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** gateway.api_tokens: look-up by hash, create, list, revoke, and the idempotent admin bootstrap. */
@ApplicationScoped
public class TokenStore {

    public static final String BOOTSTRAP_ADMIN_ID = "bootstrap-admin";

    /** A token as listed: never the secret, which exists only in the answer to its creation. */
    public record TokenInfo(String id, String name, String owner, Role role, Instant createdAt, Instant revokedAt,
                            String createdBy) {
    }

    /** A freshly created token: {@code token} is shown this once. */
    public record CreatedToken(String id, String name, String owner, Role role, Instant createdAt, String token) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

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
                        Role.parse(rs.getString(4)).orElseThrow()));
            }
        }
    }

    public CreatedToken create(String name, String owner, Role role, String createdBy) throws SQLException {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = "ksk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] idBytes = new byte[8];
        RANDOM.nextBytes(idBytes);
        String id = "tok_" + HexFormat.of().formatHex(idBytes);
        Instant now = Instant.now();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO gateway.api_tokens (id, name, owner, role, token_hash, created_at, created_by)
                     VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
            ps.setString(1, id);
            ps.setString(2, name);
            ps.setString(3, owner);
            ps.setString(4, role.wireName());
            ps.setString(5, TokenHashing.sha256(token));
            ps.setTimestamp(6, Timestamp.from(now));
            ps.setString(7, createdBy);
            ps.executeUpdate();
        }
        return new CreatedToken(id, name, owner, role, now, token);
    }

    /** Tokens newest first; {@code owner} null lists everyone's. */
    public List<TokenInfo> list(String owner) throws SQLException {
        String sql = "SELECT id, name, owner, role, created_at, revoked_at, created_by FROM gateway.api_tokens"
                + (owner == null ? "" : " WHERE owner = ?") + " ORDER BY created_at DESC, id";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (owner != null) {
                ps.setString(1, owner);
            }
            List<TokenInfo> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp revoked = rs.getTimestamp(6);
                    out.add(new TokenInfo(rs.getString(1), rs.getString(2), rs.getString(3), Role.parse(rs.getString(4)).orElseThrow(),
                            rs.getTimestamp(5).toInstant(), revoked == null ? null : revoked.toInstant(), rs.getString(7)));
                }
            }
            return out;
        }
    }

    public Optional<TokenInfo> get(String id) throws SQLException {
        return list(null).stream().filter(t -> t.id().equals(id)).findFirst();
    }

    /** Marks the token revoked; true when it was active. Its hash stays so it can never be reused. */
    public boolean revoke(String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE gateway.api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
            ps.setTimestamp(1, Timestamp.from(Instant.now()));
            ps.setString(2, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** Of these token ids, those that are still valid (neither revoked nor gone). */
    public Set<String> activeAmong(Collection<String> ids) throws SQLException {
        Set<String> active = new HashSet<>();
        if (ids.isEmpty()) {
            return active;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT id FROM gateway.api_tokens WHERE id = ANY(?) AND revoked_at IS NULL")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    active.add(rs.getString(1));
                }
            }
        }
        return active;
    }

    /**
     * Makes the configured admin token valid; a changed token replaces the previous bootstrap one. True when it
     * did: the previous admin token is no longer valid, and replicas that still trust it must be told.
     */
    public boolean upsertBootstrapAdmin(String token) throws SQLException {
        String hash = TokenHashing.sha256(token);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     WITH previous AS (SELECT token_hash FROM gateway.api_tokens WHERE id = ?)
                     INSERT INTO gateway.api_tokens (id, name, owner, role, token_hash, created_at)
                     VALUES (?, 'bootstrap admin', 'admin', 'admin', ?, ?)
                     ON CONFLICT (id) DO UPDATE SET token_hash = EXCLUDED.token_hash, revoked_at = NULL
                     RETURNING (SELECT token_hash FROM previous)""")) {
            ps.setString(1, BOOTSTRAP_ADMIN_ID);
            ps.setString(2, BOOTSTRAP_ADMIN_ID);
            ps.setString(3, hash);
            ps.setTimestamp(4, Timestamp.from(Instant.now()));
            try (ResultSet rs = ps.executeQuery()) {
                String previous = rs.next() ? rs.getString(1) : null;
                return previous != null && !previous.equals(hash);
            }
        }
    }
}
