package io.tapflow.flink.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds retained checkpoints of a pipeline: Flink writes them as {@code <dir>/<job id>/chk-<n>/_metadata}. */
public final class Checkpoints {
    private Checkpoints() {}

    /** The most recently completed checkpoint under a pipeline's checkpoint directory, if any. */
    public static Optional<Path> latest(Path pipelineCheckpointDir) {
        if (!Files.isDirectory(pipelineCheckpointDir)) {
            return Optional.empty();
        }
        try (Stream<Path> jobs = Files.list(pipelineCheckpointDir)) {
            return jobs.filter(Files::isDirectory)
                    .flatMap(Checkpoints::completedIn)
                    .max(Comparator.comparingLong(Checkpoints::completedAtMillis));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<Path> completedIn(Path jobDir) {
        try (Stream<Path> list = Files.list(jobDir)) {
            return list.filter(p -> p.getFileName().toString().startsWith("chk-"))
                    .filter(p -> Files.exists(p.resolve("_metadata"))).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** When a checkpoint completed: the time its metadata file was written. */
    public static long completedAtMillis(Path checkpoint) {
        try {
            return Files.getLastModifiedTime(checkpoint.resolve("_metadata")).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
