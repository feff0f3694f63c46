package io.tapflow.cli.flink;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.dsl.TapflowException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The tapflow job jar (flink-jobs' shaded jar) and its name on a cluster, {@code tapflow-job-<sha-256 prefix>.jar}:
 * the checksum in the name lets every command reuse a jar uploaded before and upload a changed one again.
 */
public final class JobJar {
    public static final String ENTRY_CLASS = "io.tapflow.flink.job.PipelineJobMain";
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

    /** The jar's id on the cluster: the one uploaded before when its checksum matches, else a fresh upload. */
    public String ensureUploaded(FlinkRestClient flink) {
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
