package io.tapflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.servers.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster's processes start from the Maven classpath, serve REST and the dashboard, and are all gone after close. */
class LocalFlinkClusterITCase {
    @TempDir
    Path dir;

    @Test
    void startsJobManagerAndTaskManagerProcessesAndStopsThemAll() throws Exception {
        LocalClusterSettings settings = LocalClusterSettings.of(dir, FreePorts.pick()).withTaskManagers(2, 1);
        List<Long> pids;
        try (LocalFlinkCluster cluster = LocalFlinkCluster.start(settings)) {
            pids = new java.util.ArrayList<>(cluster.taskManagerPids());
            pids.addAll(cluster.jobManagerPids());
            assertThat(pids).hasSize(3).doesNotHaveDuplicates().doesNotContain(ProcessHandle.current().pid());
            assertThat(get(cluster.restUrl() + "/overview")).contains("\"taskmanagers\":2", "\"slots-total\":2");
            assertThat(get(cluster.restUrl() + "/")).as("the web dashboard").contains("Apache Flink Web Dashboard");
            assertThat(get(cluster.restUrl() + "/jobmanager/config")).contains(settings.savepointDir().toUri().toString());
        }
        for (long pid : pids) {
            Optional<ProcessHandle> p = ProcessHandle.of(pid);
            assertThat(p.map(ProcessHandle::isAlive).orElse(false)).as("process " + pid + " alive").isFalse();
        }
    }

    @Test
    void clusterClasspathHoldsFlinkButNothingAJobJarBrings() throws Exception {
        String classpath;
        try (var in = LocalFlinkCluster.class.getResourceAsStream("flink-classpath.txt")) {
            classpath = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        List<String> jars = List.of(classpath.trim().split(java.io.File.pathSeparator));
        assertThat(jars).anyMatch(j -> j.contains("flink-runtime-web")).anyMatch(j -> j.contains("flink-statebackend-rocksdb"))
                .anyMatch(j -> j.contains("flink-metrics-prometheus"));
        // Flink loads org.apache.flink.* parent-first: a CDC connector here would shadow the job jar's own.
        assertThat(jars).noneMatch(j -> j.contains("tapflow") || j.contains("-cdc") || j.contains("mysql-connector")
                || j.contains("postgresql") || j.contains("mongodb"));
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }
}
