package io.tapflow.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A standalone Apache ZooKeeper server for the leader election of a highly available local cluster, as a process
 * of its own with its own classpath (from tapflow-zookeeper-runtime), its data under the cluster's directory.
 */
final class ZooKeeperProcess {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private ZooKeeperProcess() {}

    /** Starts the server on 127.0.0.1:{@code port} and returns once it accepts connections. */
    static Process start(LocalClusterSettings settings, int port) {
        Path data = settings.directory().resolve("zookeeper");
        Path config = settings.confDir().resolve("zoo.cfg");
        try {
            Files.createDirectories(data);
            Files.createDirectories(settings.confDir());
            Files.createDirectories(settings.logDir());
            Files.writeString(config, String.join("\n", "tickTime=2000", "dataDir=" + data, "clientPort=" + port,
                    "clientPortAddress=127.0.0.1", "admin.enableServer=false", "maxClientCnxns=0", ""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare ZooKeeper under " + data, e);
        }
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-Dzookeeper.jmx.log4j.disable=true", "-cp", FlinkProcessCommand.resource("zookeeper/classpath.txt"),
                "org.apache.zookeeper.server.ZooKeeperServerMain", config.toString());
        Process process;
        try {
            process = new ProcessBuilder(command).directory(settings.directory().toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(settings.logDir().resolve("zookeeper.out").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start ZooKeeper", e);
        }
        awaitListening(process, port, settings.logDir());
        return process;
    }

    private static void awaitListening(Process process, int port, Path logDir) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("ZooKeeper exited with code " + process.exitValue() + " while starting; see "
                        + logDir.resolve("zookeeper.out"));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("ZooKeeper did not listen on port " + port + " within " + START_TIMEOUT.toSeconds()
                + " s; see " + logDir.resolve("zookeeper.out"));
    }
}
