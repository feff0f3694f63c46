package io.tapflow.cli.catalog;

import io.tapflow.dsl.DefinitionJson;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.PipelineValidator;
import io.tapflow.dsl.TapflowException;
import io.tapflow.udf.script.PipelineScripts;
import io.tapflow.udf.script.ScriptResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a pipeline file (JSON, or a Python/JavaScript script) and validates it against the catalog's datasources,
 * reporting every problem at once.
 */
public final class PipelineFiles {
    private PipelineFiles() {}

    public static JobSpec jobSpec(Path file) throws IOException {
        requireFile(file);
        if (PipelineScripts.isScript(file)) {
            return scriptPipeline(file);
        }
        Pipeline pipeline = DefinitionJson.pipeline(Files.readString(file), file.toString());
        return PipelineValidator.validate(pipeline, Catalog.open().all());
    }

    public static void requireFile(Path file) {
        if (Files.isDirectory(file)) {
            throw directoryGiven(file);
        }
        if (!Files.isRegularFile(file)) {
            throw new TapflowException("pipeline file " + file + " does not exist");
        }
        if (!Files.isReadable(file)) {
            throw new TapflowException("pipeline file " + file + " cannot be read: no read permission");
        }
    }

    /** A directory where a pipeline file belongs (a shell's Tab completes one easily). */
    static TapflowException directoryGiven(Path directory) {
        return new TapflowException(directory + " is a directory; give a pipeline file: JSON (.json), Python (.py) or "
                + "JavaScript (.js)");
    }

    /**
     * The one pipeline a script starts, or else the one it saves: what {@code explain}, {@code verify} and
     * {@code start} act on. The datasources the script saves are not added to the catalog here (only {@code run} does).
     */
    private static JobSpec scriptPipeline(Path file) {
        ScriptResult result = PipelineScripts.run(file, Catalog.open().all());
        List<JobSpec> pipelines = result.started().isEmpty() ? result.savedPipelines() : result.started();
        if (pipelines.size() != 1) {
            throw new TapflowException(file.getFileName() + (pipelines.isEmpty()
                    ? " defines no pipeline (no Flow in it calls .save() or .start())"
                    : " defines " + pipelines.size() + " pipelines " + pipelines.stream().map(s -> s.pipeline().name()).toList()
                            + "; call .start() on the one to use"));
        }
        return pipelines.get(0);
    }
}
