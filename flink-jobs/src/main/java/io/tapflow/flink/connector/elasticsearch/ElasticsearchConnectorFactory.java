package io.tapflow.flink.connector.elasticsearch;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.SchemaChangeKind;
import io.tapflow.flink.connector.SinkFactory;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.SchemaChange;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.schema.TruncateScope;
import io.tapflow.flink.sink.SinkContext;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.flink.sink.elasticsearch.ElasticsearchOptions;
import io.tapflow.flink.sink.elasticsearch.ElasticsearchSink;
import io.tapflow.flink.sink.elasticsearch.ElasticsearchTargets;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;

/** Elasticsearch 7.x as a keyed target: one index per target table, documents by key. */
public final class ElasticsearchConnectorFactory implements SinkFactory {

    @Override
    public String identifier() {
        return "elasticsearch";
    }

    @Override
    public List<String> listTables(DataSource ds) {
        return ElasticsearchTargets.listIndices(ds);
    }

    @Override
    public List<String> prepare(DataSource ds, List<TargetTable> tables) {
        return ElasticsearchTargets.prepare(ds, tables);
    }

    /** An added column is mapped in the index as planning maps it; other changes need nothing (documents take their shape). */
    @Override
    public String applySchemaChange(DataSource resolvedDataSource, String table, SchemaChange change) {
        return change instanceof SchemaChange.AddColumn add ? ElasticsearchTargets.addField(resolvedDataSource, table, add.column()) : null;
    }

    @Override
    public String columnChangeEffect(SchemaChangeKind kind) {
        return switch (kind) {
            case ADD_COLUMN -> "PUT /<index>/_mapping: the field mapped as the column's type maps, before the first "
                    + "document that carries it";
            case DROP_COLUMN -> "the mapping keeps the field; documents written from then on lack it";
            case RENAME_COLUMN -> "the new name is mapped as an added field; documents written from then on carry it "
                    + "instead of the old one, which the mapping keeps";
            case MODIFY_COLUMN -> "the mapping is left as it is (Elasticsearch cannot change a field's type): a value "
                    + "it cannot hold is an error of that row under the error policy, with the cluster's reason";
            default -> null;
        };
    }

    /**
     * ElasticsearchBulkWriter is a BufferedUpsertWriter: Flink flushes it before each checkpoint barrier, and its flush
     * returns only when every item has been accepted (items rejected for load are sent again before it returns) or
     * routed by the error policy. So on the snapshot rows' forward path every snapshot document is indexed before the
     * change stream starts, and no snapshot row can overwrite a later change to its key.
     */
    @Override
    public boolean writesAllOnCheckpoint() {
        return true;
    }

    /** A TRUNCATE under evolve deletes every document of the index (delete-by-query), in order with the rows. */
    @Override
    public boolean appliesTruncate() {
        return true;
    }

    @Override
    public String emptyTable(DataSource ds, String table, TruncateScope scope) {
        return ElasticsearchTargets.emptyIndex(ds, table, scope);
    }

    @Override
    public Sink<ChangeEvent> createSink(DataSource ds, List<TargetTable> tables, SinkOptions options) {
        // Used for dead letters written into Elasticsearch: those fail the job if refused.
        return createSink(ds, tables, options, new SinkContext("", io.tapflow.dsl.ErrorPolicy.FAIL, null));
    }

    @Override
    public Sink<ChangeEvent> createSink(DataSource ds, List<TargetTable> tables, SinkOptions options, SinkContext context) {
        return new ElasticsearchSink(ElasticsearchOptions.of(ds), tables, options, context);
    }
}
