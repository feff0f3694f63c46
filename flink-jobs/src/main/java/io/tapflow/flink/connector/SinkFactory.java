package io.tapflow.flink.connector;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.SinkOptions;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;

/** A connector that can take keyed upserts and deletes. */
public interface SinkFactory extends ConnectorFactory {

    /**
     * Checks the target can take these tables and creates the missing ones, only after every check passed.
     *
     * @return names of the tables (or collections) created
     */
    List<String> prepare(DataSource resolvedDataSource, List<TargetTable> tables);

    Sink<ChangeEvent> createSink(DataSource resolvedDataSource, List<TargetTable> tables, SinkOptions options);

    /**
     * A writer of this sink used outside a Flink job ({@code tapflow verify --repair}): the same key and type mapping
     * as the job's sink; nothing is written before {@link SinkWriter#flush}. Connectors without one keep this default.
     */
    default SinkWriter<ChangeEvent> createWriter(DataSource resolvedDataSource, List<TargetTable> tables) throws IOException {
        throw new TapflowException("repairing a " + identifier() + " target is not supported yet");
    }

    /** Whether rows may carry fields beyond the planned columns (schemaless targets); SQL tables take only those. */
    default boolean acceptsUnplannedFields() {
        return false;
    }
}
