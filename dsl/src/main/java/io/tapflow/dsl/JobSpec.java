package io.tapflow.dsl;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A validated pipeline together with the datasources it uses: the form that is stored and shipped to Flink.
 * Secret options may still be {@code ${env:NAME}} references; they are resolved where the connection is made.
 */
public record JobSpec(Pipeline pipeline, List<DataSource> datasources) {

    public JobSpec {
        datasources = List.copyOf(datasources);
    }

    /** Validates a pipeline against the datasources it may use; reports every problem at once. */
    public static JobSpec of(Pipeline pipeline, DataSource... datasources) {
        return PipelineValidator.validate(pipeline,
                java.util.Arrays.stream(datasources).collect(Collectors.toMap(DataSource::name, Function.identity(), (a, b) -> b)));
    }

    /** The source datasources, in the pipeline's order of sources. */
    public List<DataSource> sourceDataSources() {
        return pipeline.sources().stream().map(s -> datasource(s.datasource())).toList();
    }

    public DataSource targetDataSource() {
        return datasource(pipeline.target().datasource());
    }

    public DataSource datasource(String name) {
        Map<String, DataSource> byName = datasources.stream().collect(Collectors.toMap(DataSource::name, Function.identity()));
        DataSource ds = byName.get(name);
        if (ds == null) {
            throw new NoSuchDataSourceException(name, byName.keySet());
        }
        return ds;
    }
}
