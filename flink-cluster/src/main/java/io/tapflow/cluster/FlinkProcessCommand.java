package io.tapflow.cluster;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * The command line of a JobManager or TaskManager process, as Flink's start scripts build it: memory flags and
 * dynamic memory options computed by Flink's own process-memory model, the JDK 17 opens, and the classpath of the
 * Flink libraries this module depends on (written into flink-classpath.txt at build time). Like the start scripts, it
 * adds Flink's {@code env.java.opts.all} and {@code env.java.opts.jobmanager} / {@code env.java.opts.taskmanager}
 * (e.g. {@code -XX:StartFlightRecording=...} to profile the TaskManagers).
 */
final class FlinkProcessCommand {
    static final String JOB_MANAGER_CLASS = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    static final String TASK_MANAGER_CLASS = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

    private FlinkProcessCommand() {}

    /**
     * @param name      the process's log name ({@code jobmanager}, or {@code jobmanager-2} for a standby)
     * @param restPort  its REST port (the two JobManagers of a highly available cluster each have their own)
     */
    static List<String> jobManager(LocalClusterSettings settings, Configuration conf, String name, int restPort) {
        JobManagerProcessSpec spec = JobManagerProcessUtils.processSpecFromConfigWithNewOptionToInterpretLegacyHeap(
                conf, JobManagerOptions.JVM_HEAP_MEMORY);
        return command(settings, name, JobManagerProcessUtils.generateJvmParametersStr(spec, conf),
                javaOptions(conf, CoreOptions.FLINK_JM_JVM_OPTIONS), resource("flink-classpath.txt"), JOB_MANAGER_CLASS, JobManagerProcessUtils.generateDynamicConfigsStr(spec) + " -D rest.port=" + restPort);
    }

    static List<String> taskManager(LocalClusterSettings settings, Configuration conf, String resourceId) {
        TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(conf);
        return command(settings, resourceId, ProcessMemoryUtils.generateJvmParametersStr(spec),
                javaOptions(conf, CoreOptions.FLINK_TM_JVM_OPTIONS), taskManagerClasspath(settings), TASK_MANAGER_CLASS,
                TaskExecutorProcessUtils.generateDynamicConfigsStr(spec) + " -D taskmanager.resource-id=" + resourceId);
    }

    /** Flink's libraries first (as in a distribution's lib/, Flink's own classes win), then the settings' extra jars. */
    static String taskManagerClasspath(LocalClusterSettings settings) {
        List<String> entries = new ArrayList<>(List.of(resource("flink-classpath.txt")));
        settings.taskManagerJars().forEach(jar -> entries.add(jar.toString()));
        return String.join(File.pathSeparator, entries);
    }

    private static List<String> command(LocalClusterSettings settings, String logName, String jvmMemory, String javaOptions,
                                        String classpath, String mainClass, String dynamicConfig) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(split(jvmMemory));
        cmd.addAll(split(resource("jvm-options.txt")));
        cmd.addAll(split(javaOptions));
        // Flink unpacks its RPC system jar into the temp dir: keep that inside the cluster's directory.
        cmd.add("-Djava.io.tmpdir=" + settings.directory().resolve("tmp"));
        cmd.add("-Dlog.file=" + settings.logDir().resolve(logName + ".log"));
        cmd.add("-Dlog4j.configurationFile=" + settings.confDir().resolve("log4j.properties").toUri());
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.add("--configDir");
        cmd.add(settings.confDir().toString());
        cmd.addAll(split(dynamicConfig));
        return cmd;
    }

    /** {@code env.java.opts.all}, then the process kind's own options, as the start scripts join them. */
    private static String javaOptions(Configuration conf, ConfigOption<String> ownOptions) {
        return conf.get(CoreOptions.FLINK_JVM_OPTIONS) + " " + conf.get(ownOptions);
    }

    private static List<String> split(String args) {
        return Arrays.stream(args.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    /** A resource next to this class, e.g. a classpath file written at build time. */
    static String resource(String name) {
        try (InputStream in = FlinkProcessCommand.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath (tapflow-flink-cluster); rebuild with Maven");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
