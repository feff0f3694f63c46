package io.tapflow.flink.connector.mysql;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.connector.JdbcSinkFactory;
import io.tapflow.flink.connector.SourceFactory;
import io.tapflow.flink.connector.SourceTables;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.sink.jdbc.JdbcTargets;
import io.tapflow.flink.sink.jdbc.MySqlDialect;
import io.tapflow.flink.source.mysql.MySqlCdcSourceFactory;
import io.tapflow.flink.source.mysql.MySqlQuery;
import io.tapflow.flink.source.mysql.MySqlSourceInspector;
import java.util.List;
import org.apache.flink.api.connector.source.Source;

/** MySQL and MariaDB: a CDC source (Flink CDC, snapshot then binlog) and a JDBC upsert target. */
public final class MySqlConnectorFactory implements SourceFactory, JdbcSinkFactory {
    private static final JdbcTargets TARGETS = new JdbcTargets(new MySqlDialect());

    @Override
    public JdbcTargets targets() {
        return TARGETS;
    }

    @Override
    public String identifier() {
        return "mysql";
    }

    @Override
    public List<String> listTables(DataSource ds) {
        return new MySqlSourceInspector(ds).listTables();
    }

    @Override
    public SourceTables inspect(DataSource ds, List<String> tables, List<String> keyOverride) {
        MySqlSourceInspector inspector = new MySqlSourceInspector(ds);
        return new SourceTables(inspector.inspect(tables, keyOverride), inspector.serverTimeZone());
    }

    @Override
    public Source<ChangeEvent, ?, ?> createSource(DataSource ds, SourceTables tables, List<String> keyOverride,
                                                  String pipelineName, int parallelism) {
        return MySqlCdcSourceFactory.create(ds, tables, keyOverride, parallelism);
    }

    @Override
    public TableSchema inspectQuery(DataSource ds, String name, String select, List<String> keyOverride) {
        return MySqlQuery.inspect(ds, name, select, keyOverride);
    }

    @Override
    public Source<ChangeEvent, ?, ?> createQuerySource(DataSource ds, TableSchema result, String select) {
        return MySqlQuery.source(ds, result, select);
    }

    @Override
    public java.util.Map<String, String> constantDefaults(DataSource ds, String table) {
        try (java.sql.Connection c = io.tapflow.flink.source.mysql.MySqlConnections.open(ds)) {
            return io.tapflow.flink.source.ConstantDefaults.of(c, ds.get("database"), table);
        } catch (java.sql.SQLException e) {
            throw io.tapflow.flink.source.mysql.MySqlConnections.describe(ds, e);
        }
    }

    @Override
    public io.tapflow.flink.source.query.QueryRows tableRows(DataSource ds, TableSchema table) {
        return MySqlQuery.tableRows(ds, table);
    }

    @Override
    public boolean followsSchemaChanges() {
        return true;
    }

    /** At parallelism above 1 tapflow's snapshot enumerator holds the switch to the binlog until such a checkpoint (StreamStartGate). */
    @Override
    public boolean streamsAfterCheckpointedSnapshot() {
        return true;
    }
}
