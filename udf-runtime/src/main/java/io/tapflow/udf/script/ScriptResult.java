package io.tapflow.udf.script;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.api.Api;
import java.util.List;

/**
 * What a pipeline script defined: the datasources it saved, the pipelines it saved, the pipelines it started (to
 * run) and those it asked to verify ({@code flow.verify()}), with notes for the user on how something in it runs (a
 * custom query as a filtered stream), and the data APIs it published ({@code Api(...).publish()}). Every pipeline
 * here has already been validated; the APIs only as far as needs no database (the CLI checks them against their tables).
 */
public record ScriptResult(List<DataSource> savedDataSources, List<JobSpec> savedPipelines, List<JobSpec> started,
                           List<String> notes, List<JobSpec> verified, List<Api> publishedApis) {
    public ScriptResult {
        savedDataSources = List.copyOf(savedDataSources);
        savedPipelines = List.copyOf(savedPipelines);
        started = List.copyOf(started);
        notes = List.copyOf(notes);
        verified = List.copyOf(verified);
        publishedApis = List.copyOf(publishedApis);
    }

    /** A result that publishes no API. */
    public ScriptResult(List<DataSource> savedDataSources, List<JobSpec> savedPipelines, List<JobSpec> started,
                        List<String> notes, List<JobSpec> verified) {
        this(savedDataSources, savedPipelines, started, notes, verified, List.of());
    }

    /** A result that verifies nothing. */
    public ScriptResult(List<DataSource> savedDataSources, List<JobSpec> savedPipelines, List<JobSpec> started,
                        List<String> notes) {
        this(savedDataSources, savedPipelines, started, notes, List.of());
    }
}
