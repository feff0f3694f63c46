package io.tapflow.flink.sink.jdbc;

import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.sink.ExplicitFlushTime;
import java.io.IOException;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import io.tapflow.dsl.DataSource;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.sink.SinkContext;
import io.tapflow.flink.sink.SinkOptions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The target-side operations of a JDBC connector, for one dialect: list, prepare, create the sink. */
public final class JdbcTargets {
    private final JdbcDialect dialect;

    public JdbcTargets(JdbcDialect dialect) {
        this.dialect = dialect;
    }

    public List<String> listTables(DataSource ds) {
        try (Connection c = JdbcConnections.open(dialect, ds);
             ResultSet rs = c.getMetaData().getTables(dialect instanceof MySqlDialect ? ds.get("database") : null,
                     ds.get("schema"), "%", new String[] {"TABLE"})) {
            List<String> tables = new ArrayList<>();
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME"));
            }
            return tables;
        } catch (SQLException e) {
            throw JdbcConnections.describe(ds, e);
        }
    }

    /** The statement {@link #prepare} runs to create the table when it is missing. */
    public String createTableSql(DataSource ds, TargetTable table) {
        return dialect.createTableSql(dialect.qualifiedName(ds, table.name()), table);
    }

    /**
     * Makes the schema change in the target table; returns the statement run. A change the table already shows (a
     * column added by planning when the job resumed, then met again in the change stream) is not made twice.
     */
    public String alter(DataSource ds, String table, io.tapflow.flink.schema.SchemaChange change) {
        String sql = dialect.alterSql(dialect.qualifiedName(ds, table), change);
        try (Connection c = JdbcConnections.open(dialect, ds); java.sql.Statement s = c.createStatement()) {
            java.util.Set<String> columns = new JdbcTargetPreparer(dialect, ds, false).columnNames(c, table);
            if (alreadyMade(change, columns)) {
                return "none (" + sql + ": the target table has it already)";
            }
            if (change instanceof io.tapflow.flink.schema.SchemaChange.RenameColumn rename && columns.contains(rename.to())) {
                // Planning of the resumed job added the new name (empty) before the rename's rows were replayed: the old
                // column's values move there instead.
                String qualified = dialect.qualifiedName(ds, table);
                String copy = "UPDATE " + qualified + " SET " + dialect.quote(rename.to()) + " = " + dialect.quote(rename.from());
                String drop = dialect.alterSql(qualified, new io.tapflow.flink.schema.SchemaChange.DropColumn(rename.from()));
                s.execute(copy);
                s.execute(drop);
                sql = copy + "; " + drop;
            } else {
                s.execute(sql);
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
            return sql;
        } catch (SQLException e) {
            throw new io.tapflow.dsl.TapflowException("target datasource '" + ds.name() + "': " + sql + " failed: " + e.getMessage(), e);
        }
    }

    /** Deletes a target table's rows in scope; returns the statement run and the number of rows it deleted. */
    public String emptyTable(DataSource ds, String table, io.tapflow.flink.schema.TruncateScope scope) {
        String sql = deleteSql(dialect, ds, table, scope);
        try (Connection c = JdbcConnections.open(dialect, ds); java.sql.PreparedStatement s = delete(c, dialect, ds, table, scope)) {
            int deleted = s.executeUpdate();
            if (!c.getAutoCommit()) {
                c.commit();
            }
            return sql + (scope.wholeTable() ? "" : " ('" + scope.value() + "')") + " (" + deleted + " rows)";
        } catch (SQLException e) {
            throw new io.tapflow.dsl.TapflowException("target datasource '" + ds.name() + "': " + sql + " failed: " + e.getMessage(), e);
        }
    }

    /** DELETE rather than TRUNCATE: transactional on both targets, and allowed where foreign keys point at the table. */
    static String deleteSql(JdbcDialect dialect, DataSource ds, String table, io.tapflow.flink.schema.TruncateScope scope) {
        return "DELETE FROM " + dialect.qualifiedName(ds, table) + (scope.wholeTable() ? "" : " WHERE " + dialect.quote(scope.field()) + " = ?");
    }

    /** The statement of {@link #deleteSql}, its value set. */
    static java.sql.PreparedStatement delete(Connection c, JdbcDialect dialect, DataSource ds, String table,
                                             io.tapflow.flink.schema.TruncateScope scope) throws SQLException {
        java.sql.PreparedStatement s = c.prepareStatement(deleteSql(dialect, ds, table, scope));
        if (!scope.wholeTable()) {
            s.setString(1, scope.value());
        }
        return s;
    }

    private static boolean alreadyMade(io.tapflow.flink.schema.SchemaChange change, java.util.Set<String> columns) {
        if (change instanceof io.tapflow.flink.schema.SchemaChange.AddColumn add) {
            return columns.contains(add.column().name());
        }
        if (change instanceof io.tapflow.flink.schema.SchemaChange.DropColumn drop) {
            return !columns.contains(drop.name());
        }
        if (change instanceof io.tapflow.flink.schema.SchemaChange.RenameColumn rename) {
            return !columns.contains(rename.from()) && columns.contains(rename.to());
        }
        return false;
    }

    public List<String> prepare(DataSource ds, List<TargetTable> tables) {
        return prepare(ds, tables, io.tapflow.dsl.SchemaChangePolicy.IGNORE);
    }

    /** Under the lenient and evolve policies a column added in the source while the job was stopped is added too. */
    public List<String> prepare(DataSource ds, List<TargetTable> tables, io.tapflow.dsl.SchemaChangePolicy policy) {
        return new JdbcTargetPreparer(dialect, ds, policy == io.tapflow.dsl.SchemaChangePolicy.LENIENT
                || policy == io.tapflow.dsl.SchemaChangePolicy.EVOLVE).prepare(tables);
    }

    public JdbcUpsertSink createSink(DataSource ds, List<TargetTable> tables, SinkOptions options) {
        return new JdbcUpsertSink(dialect, ds, tables, options, null);
    }

    /** A sink that applies the pipeline's error policy (in {@code context}) to rows the target refuses for their data. */
    public JdbcUpsertSink createSink(DataSource ds, List<TargetTable> tables, SinkOptions options, SinkContext context) {
        return new JdbcUpsertSink(dialect, ds, tables, options, context);
    }

    /** A writer outside a Flink job, flushed by its caller (see {@link io.tapflow.flink.connector.SinkFactory#createWriter}). */
    public SinkWriter<ChangeEvent> createWriter(DataSource ds, List<TargetTable> tables) throws IOException {
        return new JdbcUpsertWriter(dialect, ds, tables, SinkOptions.DEFAULTS, new ExplicitFlushTime(),
                UnregisteredMetricsGroup.createSinkWriterMetricGroup(), null);
    }
}
