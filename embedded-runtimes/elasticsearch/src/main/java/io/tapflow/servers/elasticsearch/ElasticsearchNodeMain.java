package io.tapflow.servers.elasticsearch;

import java.util.concurrent.CountDownLatch;
import org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner;

/**
 * Runs one Elasticsearch node until the JVM is stopped: {@code ElasticsearchNodeMain <baseDir> <httpPort> [<writeQueueSize>]}.
 * Prints {@value #READY} once the cluster is yellow, which the parent process waits for. Settings the runner's own main
 * cannot take (loopback-only binding, a write queue size) are why this class exists.
 */
public final class ElasticsearchNodeMain {

    /** The line the parent waits for on standard output. */
    public static final String READY = "tapflow-elasticsearch-ready";

    private ElasticsearchNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        String baseDir = args[0];
        String httpPort = args[1];
        String writeQueueSize = args.length > 2 ? args[2] : null;
        ElasticsearchClusterRunner runner = new ElasticsearchClusterRunner();
        runner.onBuild((index, settings) -> {
            settings.put("http.port", httpPort);
            settings.put("network.host", "127.0.0.1");
            settings.put("transport.port", "0");
            settings.put("discovery.type", "single-node");
            // A tiny machine: keep disk watermarks from making indices read-only on a full build disk.
            settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
            if (writeQueueSize != null) {
                // Tests of rejected bulk requests (HTTP 429) start a node that rejects early.
                settings.put("thread_pool.write.size", "1");
                settings.put("thread_pool.write.queue_size", writeQueueSize);
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "stop elasticsearch"));
        runner.build(ElasticsearchClusterRunner.newConfigs().numOfNode(1).basePath(baseDir)
                .clusterName("tapflow-test").disableESLogger());
        runner.ensureYellow();
        System.out.println(READY);
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
