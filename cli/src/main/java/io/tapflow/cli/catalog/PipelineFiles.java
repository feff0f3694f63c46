package io.tapflow.cli.catalog;

import io.tapflow.dsl.DefinitionJson;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.PipelineValidator;
import io.tapflow.dsl.TapflowException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a pipeline file and validates it against the catalog's datasources, reporting every problem at once. */
public final class PipelineFiles {
    private PipelineFiles() {}

    public static JobSpec jobSpec(Path file) throws IOException {
      requireFile(file);
        Pipeline pipeline = DefinitionJson.pipeline(Files.readString(file), file.toString());
        return PipelineValidator.validate(pipeline, Catalog.open().all());
    }

    public static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new TapflowException("pipeline file " + file + " does not exist");
        }
    }
}
