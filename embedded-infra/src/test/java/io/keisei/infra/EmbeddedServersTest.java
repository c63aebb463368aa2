package io.keisei.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedServersTest {

    @Test
    void postgresKeepsDataAcrossRestartsOfAPersistentCluster(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg");
        try (PostgresServer pg = PostgresServer.start(data, 0, "keisei");
             Connection c = DriverManager.getConnection(pg.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE kept (v text)");
            st.execute("INSERT INTO kept VALUES ('survives')");
        }
        try (PostgresServer pg = PostgresServer.start(data, 0, "keisei");
             Connection c = DriverManager.getConnection(pg.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("survives");
        }
    }

    @Test
    void redisKeepsDataAcrossRestartsWithADataDirectory(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("redis");
        try (RedisServer redis = RedisServer.start(data, 0)) {
            assertThat(command(redis.port(), "SET", "kept", "survives")).isEqualTo("+OK");
        }
        try (RedisServer redis = RedisServer.start(data, 0)) {
            assertThat(command(redis.port(), "GET", "kept")).isEqualTo("$8");
        }
    }

    /** Sends one RESP command and returns the first reply line; enough to check a value exists. */
    private static String command(int port, String... args) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            StringBuilder sb = new StringBuilder("*" + args.length + "\r\n");
            for (String a : args) {
                sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }
}
