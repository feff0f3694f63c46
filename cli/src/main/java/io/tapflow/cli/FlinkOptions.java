package io.tapflow.cli;

import io.tapflow.cli.run.LocalCluster;
import io.tapflow.cli.flink.FlinkRestClient;
import io.tapflow.dsl.TapflowException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * Which Flink cluster a job command talks to: {@code --flink URL}, else TAPFLOW_FLINK_URL, else {@code flink.url} in
 * {@code $TAPFLOW_HOME/config.properties}, else the local cluster started by {@code tapflow cluster start}, else
 * {@value #DEFAULT_URL}.
 */
public final class FlinkOptions {
    public static final int DEFAULT_PORT = 8081;
    static final String DEFAULT_URL = "http://localhost:" + DEFAULT_PORT;
    static final String VARIABLE = "TAPFLOW_FLINK_URL";

    @Option(names = "--flink", paramLabel = "URL", description = "REST URL of the Flink cluster (default: TAPFLOW_FLINK_URL, "
            + "flink.url in $TAPFLOW_HOME/config.properties, the local cluster, " + DEFAULT_URL + ").")
    String url;

    String resolvedUrl() {
        if (url != null) {
            return url;
        }
        String env = System.getenv(VARIABLE);
        if (env != null && !env.isBlank()) {
            return env;
        }
        String configured = configured();
        if (configured != null) {
            return configured;
        }
        return LocalCluster.inHome().running().map(LocalCluster.State::restUrl).orElse(DEFAULT_URL);
    }

    /** True when the URL was not chosen by the user: then tapflow may offer to start the local cluster there. */
    public boolean isDefault() {
        return url == null && System.getenv(VARIABLE) == null && configured() == null;
    }

    public FlinkRestClient client() {
        return new FlinkRestClient(resolvedUrl());
    }

    private static String configured() {
        Path file = TapflowHome.path().resolve("config.properties");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new TapflowException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return p.getProperty("flink.url");
    }
}
