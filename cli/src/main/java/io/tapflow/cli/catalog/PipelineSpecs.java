package io.tapflow.cli.catalog;

import io.tapflow.cli.TapflowHome;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.PipelineValidator;
import io.tapflow.dsl.TapflowException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds a pipeline by what a user calls it: a pipeline file (JSON or a script), a pipeline saved in the shell, or a job started
 * from this TAPFLOW_HOME, in that order; validated against the catalog's datasources (which hold the credentials).
 */
public final class PipelineSpecs {
    private PipelineSpecs() {}

    public static JobSpec resolve(String ref) {
        Path file = Path.of(ref);
        if (Files.isRegularFile(file)) {
            try {
                return PipelineFiles.jobSpec(file);
            } catch (IOException e) {
                throw new TapflowException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        List<String> saved = SavedPipelines.names();
        if (saved.contains(ref)) {
            return PipelineValidator.validate(SavedPipelines.get(ref), Catalog.open().all());
        }
        Optional<JobSpec> started = SavepointHistory.of(ref).lastStarted()
                .map(spec -> PipelineValidator.validate(spec.pipeline(), Catalog.open().all()));
        if (started.isPresent()) {
            return started.get();
        }
        if (Files.isDirectory(file)) {
            throw PipelineFiles.directoryGiven(file);
        }
        throw new TapflowException("no pipeline file, saved pipeline or started job '" + ref + "'; saved "
                + "pipelines: " + names(saved) + "; jobs started from " + TapflowHome.path() + ": "
                + names(SavepointHistory.startedNames()));
    }

    private static String names(List<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
