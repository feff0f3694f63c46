package io.tapflow.cli.run;

import io.tapflow.cli.TapflowHome;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DefinitionJson;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.TapflowException;
import io.tapflow.servers.Directories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * What {@code tapflow run} keeps about a pipeline under TAPFLOW_HOME: its checkpoints ({@code checkpoints/<pipeline>}),
 * and in {@code runs/<pipeline>} its lock and the spec it last ran, with secrets masked (the catalog keeps them), which
 * {@code tapflow delete} needs to release what the pipeline's sources keep on their servers.
 */
public final class LocalRun {
    private static final String SPEC = "last-run-spec.json";
    private final String pipeline;
    private final Path home;

    private LocalRun(Path home, String pipeline) {
        this.home = home;
        this.pipeline = pipeline;
    }

    public static LocalRun of(String pipeline) {
        return new LocalRun(TapflowHome.path(), pipeline);
    }

    public String pipeline() {
        return pipeline;
    }

    public Path checkpointDir() {
        return home.resolve("checkpoints").resolve(pipeline);
    }

    Path lockFile() {
        return dir().resolve("run.lock");
    }

    private Path dir() {
        return home.resolve("runs").resolve(pipeline);
    }

    /** True when the pipeline ran here: a spec or checkpoints are kept for it. */
    public boolean exists() {
        return Files.isRegularFile(dir().resolve(SPEC)) || Files.isDirectory(checkpointDir());
    }

    public void recordStarted(JobSpec spec) {
        JobSpec masked = new JobSpec(spec.pipeline(), spec.datasources().stream()
                .map(ds -> new DataSource(ds.type(), ds.name(), ds.maskedOptions())).toList());
        Path file = dir().resolve(SPEC);
        try {
            Files.createDirectories(dir());
            Files.writeString(file, DefinitionJson.toJson(masked));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new TapflowException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The spec the pipeline last ran with, secrets masked; empty when it ran before tapflow kept one. */
    public Optional<JobSpec> lastStarted() {
        Path file = dir().resolve(SPEC);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(DefinitionJson.jobSpec(Files.readString(file), file.toString()));
        } catch (IOException e) {
            throw new TapflowException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Removes the checkpoints and the record. */
    public void delete() {
        Directories.deleteRecursively(checkpointDir());
        Directories.deleteRecursively(dir());
    }
}
