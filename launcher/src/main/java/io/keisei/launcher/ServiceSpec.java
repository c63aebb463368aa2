package io.keisei.launcher;

import java.nio.file.Path;

/** One service of the suite: its name, port, the env variable that sets the port, and where its app lives. */
public record ServiceSpec(String name, int port, String portVariable, Path appDir) {

    public Path runJar() {
        return appDir.resolve("quarkus-run.jar");
    }
}
