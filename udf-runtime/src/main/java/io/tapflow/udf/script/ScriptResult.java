package io.tapflow.udf.script;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import java.util.List;

/**
 * What a pipeline script defined: the datasources it saved, the pipelines it saved, the pipelines it started (to
 * run) and those it asked to verify ({@code flow.verify()}), with notes for the user on how something in it runs (a
 * custom query as a filtered stream). Every pipeline here has already been validated.
 */
public record ScriptResult(List<DataSource> savedDataSources, List<JobSpec> savedPipelines, List<JobSpec> started,
                           List<String> notes, List<JobSpec> verified) {
    public ScriptResult {
        savedDataSources = List.copyOf(savedDataSources);
        savedPipelines = List.copyOf(savedPipelines);
        started = List.copyOf(started);
        notes = List.copyOf(notes);
        verified = List.copyOf(verified);
    }

    /** A result that verifies nothing. */
    public ScriptResult(List<DataSource> savedDataSources, List<JobSpec> savedPipelines, List<JobSpec> started,
                        List<String> notes) {
        this(savedDataSources, savedPipelines, started, notes, List.of());
    }
}
