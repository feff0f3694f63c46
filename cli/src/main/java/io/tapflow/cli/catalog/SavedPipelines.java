package io.tapflow.cli.catalog;

import io.tapflow.cli.OwnerOnlyFiles;
import io.tapflow.cli.TapflowHome;
import io.tapflow.dsl.DefinitionJson;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TapflowException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Pipelines saved in the shell: one JSON file each under {@code $TAPFLOW_HOME/pipelines}, the form 'tapflow start' takes. */
public final class SavedPipelines {
    private SavedPipelines() {}

    static Path dir() {
        return TapflowHome.path().resolve("pipelines");
    }

    static Path file(String name) {
        return dir().resolve(name + ".json");
    }

    public static Path save(Pipeline pipeline) {
        Path file = file(pipeline.name());
        try {
            OwnerOnlyFiles.writeString(file, DefinitionJson.toJson(pipeline));
        } catch (IOException e) {
            throw new TapflowException("cannot save pipeline '" + pipeline.name() + "' to " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** The saved pipeline's file; fails with the names of the saved ones. */
    public static Path require(String name) {
        Path file = file(name);
        if (!Files.isRegularFile(file)) {
            throw new TapflowException("no saved pipeline '" + name + "'; saved: " + (names().isEmpty() ? "none" : String.join(", ", names()))
                    + "; save one with Flow('" + name + "').read_from(...).write_to(...).save()");
        }
        return file;
    }

    public static Pipeline get(String name) {
        Path file = require(name);
        try {
            return DefinitionJson.pipeline(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new TapflowException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static List<String> names() {
        if (!Files.isDirectory(dir())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".json"))
                    .map(f -> f.substring(0, f.length() - ".json".length())).sorted().toList();
        } catch (IOException e) {
            throw new TapflowException("cannot list " + dir() + ": " + e.getMessage(), e);
        }
    }
}
