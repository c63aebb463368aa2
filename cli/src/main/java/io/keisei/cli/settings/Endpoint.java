package io.keisei.cli.settings;

import io.keisei.cli.CliException;
import io.keisei.cli.ExitCodes;

import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * The gateway to talk to and the token to show it. Each comes from the first of: the command-line option
 * ({@code --url}, {@code --token}), the environment ({@code KEISEI_URL}, {@code KEISEI_TOKEN}), what
 * {@code keisei login} stored; the URL finally defaults to a local suite.
 */
public record Endpoint(URI baseUrl, String token) {

    public static final String DEFAULT_URL = "http://localhost:8080";

    public static Endpoint resolve(String urlOption, String tokenOption, Map<String, String> env, UserConfig.Stored stored) {
        String url = first(urlOption, env.get("KEISEI_URL"), stored.url(), DEFAULT_URL);
        String token = first(tokenOption, env.get("KEISEI_TOKEN"), stored.token(), null);
        return new Endpoint(parseUrl(url), token);
    }

    /** http(s)://host[:port][/prefix], without a trailing slash; a bare host:port is taken as http. */
    public static URI parseUrl(String url) {
        String u = url.strip();
        if (!u.contains("://")) {
            u = "http://" + u;
        }
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(u);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "not a URL: '" + url + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new CliException(ExitCodes.USAGE, "not an http(s) URL: '" + url + "' (e.g. " + DEFAULT_URL + ")");
        }
        return uri;
    }

    /** The token, or the one-line advice to log in. */
    public String requireToken() {
        if (token == null || token.isBlank()) {
            throw new CliException(ExitCodes.FORBIDDEN, "no API token: run 'keisei login " + baseUrl + "', or set KEISEI_TOKEN");
        }
        return token;
    }

    /** The hub's URL: ws(s)://host:port[/prefix]/ws. */
    public URI webSocketUrl() {
        String scheme = baseUrl.getScheme().equalsIgnoreCase("https") ? "wss" : "ws";
        return URI.create(scheme + baseUrl.toString().substring(baseUrl.getScheme().length()) + "/ws");
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        return null;
    }
}
