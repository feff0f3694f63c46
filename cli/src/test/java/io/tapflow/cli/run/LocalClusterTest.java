package io.tapflow.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local cluster is found again by process id and start time, so a reused process id is never taken for it. */
class LocalClusterTest {
    @TempDir
    Path dir;

    @Test
    void aLiveProcessWithTheRecordedStartTimeIsTheCluster() throws Exception {
        ProcessHandle self = ProcessHandle.current();
        Instant started = self.info().startInstant().orElseThrow();
        write(self.pid(), started);
        assertThat(new LocalCluster(dir).running()).hasValueSatisfying(s -> assertThat(s.restUrl()).isEqualTo("http://localhost:18081"));
    }

    @Test
    void aReusedProcessIdIsNotTheCluster() throws Exception {
        ProcessHandle self = ProcessHandle.current();
        write(self.pid(), self.info().startInstant().orElseThrow().minusSeconds(3600));
        assertThat(new LocalCluster(dir).running()).isEmpty();
    }

    private void write(long pid, Instant started) throws Exception {
        Files.writeString(dir.resolve("cluster.properties"), "rest.port=18081\npids=" + pid + "\nstarted." + pid + "=" + started + "\n");
    }
}
