package io.tapflow.flink.connector;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.ErrorPolicy;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.TableSchema;
import java.util.List;
import org.apache.flink.api.connector.source.Source;

/** A connector that can read a snapshot and then changes. */
public interface SourceFactory extends ConnectorFactory {

    /**
     * The database (or schema) the datasource's tables live in, as qualified table names show it: table patterns
     * match {@code namespace.table} as well as {@code table}.
     */
    default String namespace(DataSource resolvedDataSource) {
        return resolvedDataSource.get("database");
    }

    /** Checks the source can serve these tables and reads their schemas; reports every problem at once. */
    SourceTables inspect(DataSource resolvedDataSource, List<String> tables, List<String> keyOverride);

    /**
     * As {@link #inspect(DataSource, List, List)}, for a pipeline that drops some columns before any step sees them: a
     * source that can leave such a column unread does not refuse it for a type it cannot read (PostgreSQL), and lists
     * it in {@link SourceTables#unreadColumns()}. Other sources inspect as usual.
     */
    default SourceTables inspect(DataSource resolvedDataSource, List<String> tables, List<String> keyOverride,
                                 io.tapflow.flink.schema.DroppedColumns dropped) {
        return inspect(resolvedDataSource, tables, keyOverride);
    }

    /**
     * The inspected tables of a source that selects tables by pattern, made to capture tables created later that the
     * patterns select; or, where the server does not let this user capture them, noting what is missing.
     *
     * @param pipelineName as for {@link #createSource(DataSource, SourceTables, List, String, int)}
     */
    default SourceTables followingNewTables(DataSource resolvedDataSource, SourceTables inspected, List<String> include,
                                            List<String> exclude, String pipelineName) {
        return inspected.capturingNew(io.tapflow.dsl.TablePattern.qualified(include, namespace(resolvedDataSource)));
    }

    /**
     * @param pipelineName names what the source keeps on the server for this pipeline (a PostgreSQL replication slot),
     *                     so that {@link #release} finds it again
     */
    Source<ChangeEvent, ?, ?> createSource(DataSource resolvedDataSource, SourceTables tables, List<String> keyOverride,
                                           String pipelineName, int parallelism);

    /**
     * As {@link #createSource(DataSource, SourceTables, List, String, int)}, for sources that can meet input they cannot
     * read (a Kafka message): they apply the pipeline's error policy, emitting dead letters as events of
     * {@code DeadLetters.SOURCE_TABLE}, which the job routes to the dead-letter table.
     */
    default Source<ChangeEvent, ?, ?> createSource(DataSource resolvedDataSource, SourceTables tables, List<String> keyOverride,
                                                   String pipelineName, int parallelism, ErrorPolicy onError) {
        return createSource(resolvedDataSource, tables, keyOverride, pipelineName, parallelism);
    }

    /**
     * A watch of the source's catalog while the job runs, for sources whose change stream does not show every table
     * created or dropped (PostgreSQL); null for the others (MySQL/MariaDB: the binlog has the DDL).
     *
     * @param pipelineName names the server-side resources of the pipeline's source (PostgreSQL: its publication)
     */
    default SourceCatalog catalog(DataSource resolvedDataSource, String pipelineName) {
        return null;
    }

    /**
     * Whether rows of a changed table schema arrive in their new shape and the schema can be read again while the job
     * runs, so that the job follows schema changes (MySQL/MariaDB, PostgreSQL). Such a source's subtask that starts
     * reading the change stream emits {@code ChangeStreamStart} first, which the job's schema-change follower takes out.
     */
    default boolean followsSchemaChanges() {
        return false;
    }

    /**
     * Whether a source that does not follow schema changes still reads TRUNCATEs of its tables (a Kafka topic's
     * truncate messages), which the job then reports and passes on under the schema-change policy.
     */
    default boolean readsTruncates() {
        return false;
    }

    /**
     * The columns of a table whose DEFAULT is a constant, as SQL constants both target dialects read ({@code 'text'},
     * {@code 12.5}); for a column added while the job runs, so the target's existing rows get it too.
     */
    default java.util.Map<String, String> constantDefaults(DataSource resolvedDataSource, String table) {
        return java.util.Map.of();
    }

    /**
     * Reads every row of a table as snapshot (READ) events: for a table the pipeline selects that a restored job did
     * not know, whose rows from before its restored position no change stream holds. Null when the source cannot.
     */
    default io.tapflow.flink.source.query.QueryRows tableRows(DataSource resolvedDataSource, TableSchema table) {
        return null;
    }

    /**
     * Whether, at parallelism above 1, the change stream starts only after a completed checkpoint covers every row of
     * the snapshot (snapshot rows are {@code Op.READ}, and none comes after the first change), so snapshot rows may take
     * a path of their own to the sink without a change of the same key overtaking them (see SnapshotForwarding).
     */
    default boolean streamsAfterCheckpointedSnapshot() {
        return false;
    }

    /** Whether the source emits dead letters (see the createSource taking the error policy) the job must route. */
    default boolean emitsDeadLetters() {
        return false;
    }

    /**
     * Frees what the pipeline's source keeps on the server once the pipeline is deleted (its job no longer runs).
     * Sources that keep nothing there (MySQL: the binlog reader holds no server-side state) keep this default.
     *
     * @return one line per resource released, for the user, e.g. "released replication slot x on datasource y"
     */
    default List<String> release(DataSource resolvedDataSource, String pipelineName) {
        return List.of();
    }

    /**
     * Checks a SELECT the pipeline reads once (see {@code Pipeline.readQuery}) and describes its result as a table
     * named {@code name} whose primary key is {@code keyOverride}, or else the primary key of the datasource's table
     * of that name. Reports a query the server refuses, unsupported result types and a key that is not unique or is
     * NULL in the result.
     */
    default TableSchema inspectQuery(DataSource resolvedDataSource, String name, String select, List<String> keyOverride) {
        throw new TapflowException("datasource '" + resolvedDataSource.name() + "' is of type " + resolvedDataSource.type()
                + ", which cannot run a query; read tables from it instead (a query source can be MySQL, MariaDB or PostgreSQL)");
    }

    /** A bounded source that reads the result of the SELECT {@link #inspectQuery} accepted, once. */
    default Source<ChangeEvent, ?, ?> createQuerySource(DataSource resolvedDataSource, TableSchema result, String select) {
        throw new TapflowException("datasource '" + resolvedDataSource.name() + "' cannot run a query");
    }
}
