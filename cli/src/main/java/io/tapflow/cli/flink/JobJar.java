package io.tapflow.cli.flink;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.cluster.LocalClusterSettings;
import io.tapflow.dsl.TapflowException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The tapflow job jar (flink-jobs' shaded jar) and its name on a cluster, {@code tapflow-job-<sha-256 prefix>.jar}:
 * the checksum in the name lets every command reuse a jar uploaded before and upload a changed one again, and tells
 * whether the copy on a local cluster's TaskManager class path is this same jar.
 */
public final class JobJar {
    public static final String ENTRY_CLASS = "io.tapflow.flink.job.PipelineJobMain";
    /** The cluster setting naming the job jar on the cluster's TaskManager class path, when it has one there. */
    public static final String TASK_MANAGER_JAR_SETTING = "tapflow.task-manager.job-jar";
    static final String PROPERTY = "tapflow.job.jar";
    static final String VARIABLE = "TAPFLOW_JOB_JAR";

    private final Path file;
    private final String clusterName;

    JobJar(Path file) {
        this.file = file;
        this.clusterName = "tapflow-job-" + sha256(file).substring(0, 16) + ".jar";
    }

    /** The jar named by -Dtapflow.job.jar (the ./tapflow launcher sets it) or TAPFLOW_JOB_JAR. */
    public static JobJar locate() {
        String configured = System.getProperty(PROPERTY, System.getenv(VARIABLE));
        if (configured == null || configured.isBlank()) {
            throw new TapflowException("the tapflow job jar is not configured; run tapflow through ./tapflow after "
                    + "'mvn -q -DskipTests package', or set " + VARIABLE + " to flink-jobs/target/tapflow-flink-jobs-*-job.jar");
        }
        Path file = Path.of(configured);
        if (!Files.isRegularFile(file)) {
            throw new TapflowException("the tapflow job jar " + file + " does not exist; build it with 'mvn -q -DskipTests package'");
        }
        return new JobJar(file);
    }

    public String clusterName() {
        return clusterName;
    }

    /**
     * The settings of a local cluster whose TaskManagers hold this jar on their class path, so that every job loads
     * and JIT-compiles its classes once per TaskManager instead of once per job and TaskManager. The class path gets a
     * copy under the cluster's {@code lib/} named by the checksum (a rebuild cannot change it under the running
     * processes; copies of other builds are removed), and the cluster's configuration names it for
     * {@link #ensureUploaded}'s check.
     */
    public LocalClusterSettings onTaskManagerClassPath(LocalClusterSettings settings) {
        Path lib = settings.directory().resolve("lib");
        Path copy = lib.resolve(clusterName);
        try {
            Files.createDirectories(lib);
            try (var stale = Files.list(lib)) {
                for (Path old : stale.filter(f -> !f.equals(copy) && f.getFileName().toString().startsWith("tapflow-job-")).toList()) {
                    Files.delete(old);
                }
            }
            if (!Files.isRegularFile(copy)) {
                Path partial = lib.resolve(clusterName + ".part");
                Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new TapflowException("cannot copy the job jar " + file + " into " + lib + ": " + e.getMessage(), e);
        }
        return settings.withTaskManagerJars(List.of(copy)).withFlinkConfig(TASK_MANAGER_JAR_SETTING, clusterName);
    }

    /**
     * The jar's id on the cluster: the one uploaded before when its checksum matches, else a fresh upload. Refuses a
     * cluster whose TaskManagers hold another build's job jar on their class path: they would run that build's code
     * for this job (a tapflow upgraded or rebuilt while its local cluster kept running).
     */
    public String ensureUploaded(FlinkRestClient flink) {
        flink.clusterSetting(TASK_MANAGER_JAR_SETTING).filter(onCluster -> !onCluster.equals(clusterName)).ifPresent(onCluster -> {
            throw new TapflowException("the Flink cluster at " + flink.url() + " runs the job classes of another tapflow build ("
                    + onCluster + " on its TaskManagers' class path; this tapflow's job jar is " + clusterName + "); restart it "
                    + "with 'tapflow cluster stop' and 'tapflow cluster start' (first stop running pipelines with "
                    + "'tapflow stop <pipeline> --savepoint' to start them again from there)");
        });
        for (JsonNode jar : flink.jars().path("files")) {
            if (clusterName.equals(jar.path("name").asText())) {
                return jar.path("id").asText();
            }
        }
        return flink.uploadJar(file, clusterName);
    }

    private static String sha256(Path file) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new TapflowException("cannot read the job jar " + file + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
