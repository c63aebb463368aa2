package io.keisei.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version Maven recorded in the jar (pom.properties), for --version and the User-Agent. */
public final class Version implements CommandLine.IVersionProvider {

    private static final String POM = "/META-INF/maven/io.keisei/cli/pom.properties";

    public static String current() {
        try (InputStream in = Version.class.getResourceAsStream(POM)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "dev");
            }
        } catch (IOException e) {
            // fall through
        }
        return "dev";
    }

    @Override
    public String[] getVersion() {
        return new String[]{"keisei " + current() + " (Java " + Runtime.version() + ")"};
    }
}
