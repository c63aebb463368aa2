package io.keisei.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks a service whether it is ready (/q/health/ready). */
public final class HealthProbe {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private HealthProbe() {
    }

    public static boolean ready(int port) {
        return check(port, "/q/health/ready");
    }

    /** Liveness (/q/health/live): what the supervisor watches; a dependency that is down does not fail it. */
    public static boolean live(int port) {
        return check(port, "/q/health/live");
    }

    /** Redis answers PING with +PONG within 2 s. */
    public static boolean redisPing(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(2000);
            s.getOutputStream().write("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            byte[] buf = new byte[16];
            int n = s.getInputStream().read(buf);
            return n > 0 && new String(buf, 0, n, java.nio.charset.StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (Exception e) {
            return false;
        }
    }

    /** PostgreSQL accepts a connection and answers SELECT 1 within a few seconds. */
    public static boolean postgres(String jdbcUrl, String user, String password) {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "2");
        p.setProperty("loginTimeout", "3");
        p.setProperty("socketTimeout", "3");
        try (java.sql.Connection c = new org.postgresql.Driver().connect(jdbcUrl, p);
             java.sql.Statement st = c.createStatement()) {
            return st.execute("SELECT 1");
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean check(int port, String path) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
