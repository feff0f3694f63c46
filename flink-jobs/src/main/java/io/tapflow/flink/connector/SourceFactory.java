package io.tapflow.flink.connector;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.event.ChangeEvent;
import java.util.List;
import org.apache.flink.api.connector.source.Source;

/** A connector that can read a snapshot and then changes. */
public interface SourceFactory extends ConnectorFactory {

    /** Checks the source can serve these tables and reads their schemas; reports every problem at once. */
    SourceTables inspect(DataSource resolvedDataSource, List<String> tables, List<String> keyOverride);

    Source<ChangeEvent, ?, ?> createSource(DataSource resolvedDataSource, SourceTables tables, List<String> keyOverride,
                                           int parallelism);
}
