package io.tapflow.flink.source.mysql;

import io.debezium.connector.mysql.MySqlConnection;
import io.debezium.connector.mysql.MySqlPartition;
import io.debezium.document.DocumentWriter;
import io.debezium.relational.TableId;
import io.debezium.relational.history.TableChanges.TableChange;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.source.mysql.snapshot.BinlogPosition;
import io.tapflow.flink.source.mysql.snapshot.StreamStart;
import io.tapflow.flink.source.mysql.snapshot.StreamStartReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.cdc.connectors.mysql.debezium.DebeziumUtils;
import org.apache.flink.cdc.connectors.mysql.source.config.MySqlSourceConfig;
import org.apache.flink.cdc.connectors.mysql.source.utils.TableDiscoveryUtils;
import org.apache.flink.cdc.debezium.history.FlinkJsonTableChangeSerializer;

/**
 * Takes the binlog position the change stream will start at together with the schema of every table the binlog reader
 * captures as it is at that position, in the form Flink CDC's binlog split carries ({@link SeededBinlogSplits} hands
 * them over). Left to itself, Flink CDC's reader reads its tables' schemas when it starts, after the snapshot, and would
 * decode the rows written before a DDL made in between with the columns of after it.
 *
 * <p>No lock is taken, as for the snapshot: the position, the schemas, then the position again. When the binlog between
 * the two positions holds no statement but transaction bounds, no DDL was made in between, and the schemas read are those
 * at the first position. (A DDL statement is binlogged before it releases the table's metadata lock, which SHOW CREATE
 * TABLE waits for, so a schema read after a change means that change is in the binlog before the second position.)
 * Otherwise it tries again.
 */
final class SchemasAtStreamStart implements StreamStartReader {
    private static final long serialVersionUID = 1L;
    private static final int ATTEMPTS = 20;

    private final MySqlBinlogSource.CdcSources sources;
    private final String datasource;

    SchemasAtStreamStart(MySqlBinlogSource.CdcSources sources, String datasource) {
        this.sources = sources;
        this.datasource = datasource;
    }

    @Override
    public StreamStart read(Connection c) throws SQLException {
        MySqlSourceConfig config = sources.startingAt(null).getConfigFactory().createConfig(0);
        try (MySqlConnection debezium = DebeziumUtils.createMySqlConnection(config)) {
            for (int attempt = 1; ; attempt++) {
                BinlogPosition before = BinlogPositions.current(c, datasource);
                Map<String, String> schemas = schemas(config, debezium);
                BinlogPosition after = BinlogPositions.current(c, datasource);
                if (BinlogPositions.noStatementsBetween(c, before, after)) {
                    return new StreamStart(before, schemas);
                }
                if (attempt == ATTEMPTS) {
                    throw new TapflowException("datasource '" + datasource + "': could not read the table schemas at one "
                            + "binlog position in " + ATTEMPTS + " attempts: statements other than row changes (DDL) "
                            + "kept arriving in the binlog meanwhile (last between " + before.file() + ":"
                            + before.position() + " and " + after.file() + ":" + after.position() + "); start the "
                            + "pipeline again when the server's DDL has settled");
                }
            }
        }
    }

    /** Flink CDC's schema of every table its binlog reader captures, as that reader would read them at its start. */
    private static Map<String, String> schemas(MySqlSourceConfig config, MySqlConnection debezium) throws SQLException {
        List<TableId> captured = TableDiscoveryUtils.listTables(debezium, config.getDatabaseFilter(), config.getTableFilter());
        Map<String, String> schemas = new LinkedHashMap<>();
        if (captured.isEmpty()) {
            return schemas;
        }
        MySqlPartition partition = new MySqlPartition(config.getMySqlConnectorConfig().getLogicalName());
        FlinkJsonTableChangeSerializer json = new FlinkJsonTableChangeSerializer();
        for (Map.Entry<TableId, TableChange> e : TableDiscoveryUtils.discoverSchemaForCapturedTables(partition, captured,
                config, debezium).entrySet()) {
            try {
                schemas.put(e.getKey().toDoubleQuotedString(), DocumentWriter.defaultWriter().write(json.toDocument(e.getValue())));
            } catch (IOException io) {
                throw new UncheckedIOException(io);
            }
        }
        return schemas;
    }
}
