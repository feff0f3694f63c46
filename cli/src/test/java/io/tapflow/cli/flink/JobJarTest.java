package io.tapflow.cli.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.cluster.LocalClusterSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A local cluster's TaskManagers get their own copy of the job jar, named by its checksum, and only one. */
class JobJarTest {
    @TempDir
    Path dir;

    @Test
    void theTaskManagersGetACopyNamedByChecksumAndOlderBuildsCopiesGo() throws Exception {
        Path built = Files.writeString(dir.resolve("tapflow-job.jar"), "this build");
        Path lib = Files.createDirectories(dir.resolve("cluster").resolve("lib"));
        Path older = Files.writeString(lib.resolve("tapflow-job-00000000000000aa.jar"), "an older build");
        JobJar jar = new JobJar(built);

        LocalClusterSettings settings = jar.onTaskManagerClassPath(LocalClusterSettings.of(dir.resolve("cluster"), 8081));

        Path copy = lib.resolve(jar.clusterName());
        assertThat(settings.taskManagerJars()).containsExactly(copy);
        assertThat(copy).hasContent("this build");
        assertThat(older).doesNotExist();
        assertThat(settings.flinkConfig()).containsEntry(JobJar.TASK_MANAGER_JAR_SETTING, jar.clusterName());

        Files.writeString(built, "the next build");
        JobJar next = new JobJar(built);
        next.onTaskManagerClassPath(settings);
        try (var files = Files.list(lib)) {
            assertThat(files.toList()).as("one copy, of the build started last").containsExactly(lib.resolve(next.clusterName()));
        }
        assertThat(next.clusterName()).isNotEqualTo(jar.clusterName()).matches("tapflow-job-[0-9a-f]{16}\\.jar");
        assertThat(lib.resolve(next.clusterName())).hasContent("the next build");
    }
}
