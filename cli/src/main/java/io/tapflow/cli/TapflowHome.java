package io.tapflow.cli;

import java.nio.file.Path;

/** Where tapflow keeps its catalog, checkpoints and logs: TAPFLOW_HOME, else ~/.tapflow. */
public final class TapflowHome {
    private TapflowHome() {}

    public static Path path() {
        String property = System.getProperty("tapflow.home");
        if (property != null) {
            return Path.of(property);
        }
        String env = System.getenv("TAPFLOW_HOME");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".tapflow");
    }
}
