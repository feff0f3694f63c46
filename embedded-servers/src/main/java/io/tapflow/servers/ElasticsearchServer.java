package io.tapflow.servers;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A single-node Elasticsearch 7.10.2 (codelibs cluster runner) run as a child JVM from the
 * {@code tapflow-elasticsearch-runtime} classpath; or an external cluster named by {@value #URL_VARIABLE}.
 */
public final class ElasticsearchServer extends ChildJvmServer {

    /** Names an external cluster as {@code http[s]://[user:password@]host:port}. */
    public static final String URL_VARIABLE = "TAPFLOW_TEST_ES_URL";

    private static final String CLASSPATH_RESOURCE = "io/tapflow/servers/elasticsearch/classpath.txt";
    private static final String MAIN_CLASS = "io.tapflow.servers.elasticsearch.ElasticsearchNodeMain";
    private static final String READY = "tapflow-elasticsearch-ready";

    private final String url;
    private final String user;
    private final String password;

    private ElasticsearchServer(String url, String user, String password, ChildJvm jvm, Path directory) {
        super("Elasticsearch at " + url, jvm, directory);
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** Starts a node on 127.0.0.1 and a free HTTP port, with its files under {@code directory}. */
    public static ElasticsearchServer start(Path directory) {
        return start(directory, 0);
    }

    /**
     * Starts a node as {@link #start(Path)} does; a {@code writeQueueSize} above 0 gives it one write thread and that
     * queue, so bulk requests beyond it are rejected with HTTP 429 (for tests of retries).
     */
    public static ElasticsearchServer start(Path directory, int writeQueueSize) {
        Path root = directory.toAbsolutePath();
        Directories.deleteRecursively(root);
        int httpPort = FreePorts.pick();
        List<String> arguments = new ArrayList<>(List.of(root.resolve("node").toString(), Integer.toString(httpPort)));
        if (writeQueueSize > 0) {
            arguments.add(Integer.toString(writeQueueSize));
        }
        try {
            ChildJvm jvm = ChildJvm.start("Elasticsearch", ChildJvm.classpath(CLASSPATH_RESOURCE),
                    List.of("-Xms256m", "-Xmx512m", "-XX:+UseSerialGC", "-Dlog4j2.formatMsgNoLookups=true",
                            // ES 7.10 reads these JDK internals when it runs without its own launcher.
                            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED"),
                    MAIN_CLASS, arguments, root.resolve("elasticsearch.log"), READY, 180);
            return new ElasticsearchServer("http://127.0.0.1:" + httpPort, null, null, jvm, root);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Elasticsearch did not start in " + root + ": " + e.getMessage(), e);
        }
    }

    /** Returns the cluster named by {@value #URL_VARIABLE}, or else starts a node under {@code directory}. */
    public static ElasticsearchServer fromEnvironmentOrStart(Path directory) {
        String value = System.getenv(URL_VARIABLE);
        if (value == null || value.isBlank()) {
            return start(directory);
        }
        URI uri = URI.create(value.strip());
        String userInfo = uri.getUserInfo();
        String base = uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
        if (userInfo == null) {
            return new ElasticsearchServer(base, null, null, null, null);
        }
        int colon = userInfo.indexOf(':');
        return new ElasticsearchServer(base, colon < 0 ? userInfo : userInfo.substring(0, colon),
                colon < 0 ? "" : userInfo.substring(colon + 1), null, null);
    }

    /** {@code http://host:port}, without credentials. */
    public String url() {
        return url;
    }

    /** The user name for basic authentication, or null when the cluster needs none. */
    public String user() {
        return user;
    }

    /** The password for basic authentication, or null; pass it to a client, never print it. */
    public String password() {
        return password;
    }
}
