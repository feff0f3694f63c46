package io.tapflow.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class FlinkProcessCommandTest {
    private final LocalClusterSettings settings = LocalClusterSettings.of(Path.of("target/command-test"), 8081);

    @Test
    void taskManagerGetsFlinksJavaOptionsForAllAndForTaskManagers() {
        Configuration conf = conf(List.of("env.java.opts.all", "-Dall=1", "env.java.opts.taskmanager",
                "-XX:StartFlightRecording=settings=profile -Dtm=1", "env.java.opts.jobmanager", "-Djm=1"));
        List<String> tm = FlinkProcessCommand.taskManager(settings, conf, "taskmanager-1");
        assertTrue(tm.containsAll(List.of("-Dall=1", "-XX:StartFlightRecording=settings=profile", "-Dtm=1")), tm.toString());
        assertFalse(tm.contains("-Djm=1"));
        // JVM options go before the main class, or java would pass them to Flink as program arguments.
        assertTrue(tm.indexOf("-Dtm=1") < tm.indexOf(FlinkProcessCommand.TASK_MANAGER_CLASS));
        List<String> jm = FlinkProcessCommand.jobManager(settings, conf, "jobmanager", 8081);
        assertTrue(jm.containsAll(List.of("-Dall=1", "-Djm=1")), jm.toString());
        assertFalse(jm.contains("-Dtm=1"));
    }

    @Test
    void jarsForTheTaskManagersGoOnTheirClassPathAfterFlinkAndMakeClassLoadingParentFirst() {
        Path jar = Path.of("target/command-test/lib/tapflow-job-0123456789abcdef.jar");
        LocalClusterSettings withJar = settings.withTaskManagerJars(List.of(jar));
        Configuration conf = FlinkConfiguration.toFlink(FlinkConfiguration.entries(withJar, 6123, 2181));
        assertEquals("parent-first", conf.toMap().get("classloader.resolve-order"));
        List<String> tm = FlinkProcessCommand.taskManager(withJar, conf, "taskmanager-1");
        String classpath = tm.get(tm.indexOf("-cp") + 1);
        assertTrue(classpath.startsWith(FlinkProcessCommand.resource("flink-classpath.txt")), "Flink's libraries first");
        assertTrue(classpath.endsWith(File.pathSeparator + jar.toAbsolutePath()), classpath);
        List<String> jm = FlinkProcessCommand.jobManager(withJar, conf, "jobmanager", 8081);
        assertFalse(jm.get(jm.indexOf("-cp") + 1).contains(jar.toString()), "the JobManager runs jobs' main() from their own jar");

        assertNull(FlinkConfiguration.entries(settings, 6123, 2181).get("classloader.resolve-order"),
                "without such jars Flink's default (child-first) stays");
    }

    private Configuration conf(List<String> keysAndValues) {
        var entries = FlinkConfiguration.entries(settings, 6123, 2181);
        for (int i = 0; i < keysAndValues.size(); i += 2) {
            entries.put(keysAndValues.get(i), keysAndValues.get(i + 1));
        }
        return FlinkConfiguration.toFlink(entries);
    }
}
