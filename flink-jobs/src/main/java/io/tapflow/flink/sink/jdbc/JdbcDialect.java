package io.tapflow.flink.sink.jdbc;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TargetTable;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** What differs between JDBC targets: URLs, quoting, upsert syntax, and how source column types map to target types. */
public interface JdbcDialect extends Serializable {

    String jdbcUrl(DataSource ds);

    String quote(String identifier);

    /** The table's name as used in SQL, schema-qualified where the database has schemas. */
    String qualifiedName(DataSource ds, String table);

    String upsertSql(String qualifiedTable, List<String> columns, List<String> keyFields);

    String columnType(Column column);

    /** Binds a canonical row value. */
    void bind(PreparedStatement ps, int index, Object value) throws SQLException;

    /** The dialect's bulk insert for rows new to the target, if it has a faster one than upserts. */
    /**
     * Refuses (with a {@link io.tapflow.dsl.TapflowException} naming the column) a value the target column would store
     * altered without an error; called for decimal values only.
     */
    default void checkFits(Column column, java.math.BigDecimal value) {
    }

    /** The rows of a batch as this dialect binds and bulk-inserts them (PostgreSQL: array columns as array literals). */
    default List<Map<String, Object>> writable(TargetTable table, List<Map<String, Object>> rows) {
        return rows;
    }

    default Optional<BulkInsert> bulkInsert(Connection connection) throws SQLException {
        return Optional.empty();
    }

    /**
     * The statement that makes one schema change in a target table. An added column is nullable: the target's existing
     * rows have no value for it.
     */
    default String alterSql(String qualifiedTable, io.tapflow.flink.schema.SchemaChange change) {
        String alter = "ALTER TABLE " + qualifiedTable + " ";
        if (change instanceof io.tapflow.flink.schema.SchemaChange.AddColumn add) {
            return alter + "ADD COLUMN " + quote(add.column().name()) + " " + columnType(add.column()) + " NULL"
                    + (add.defaultValue() == null ? "" : " DEFAULT " + add.defaultValue());
        }
        if (change instanceof io.tapflow.flink.schema.SchemaChange.DropColumn drop) {
            return alter + "DROP COLUMN " + quote(drop.name());
        }
        if (change instanceof io.tapflow.flink.schema.SchemaChange.RenameColumn rename) {
            return alter + "RENAME COLUMN " + quote(rename.from()) + " TO " + quote(rename.to());
        }
        return alter + modifyColumnSql(((io.tapflow.flink.schema.SchemaChange.ModifyColumn) change).after());
    }

    /** The part of ALTER TABLE that gives a column its new type. */
    String modifyColumnSql(Column column);

    default String deleteSql(String qualifiedTable, List<String> keyFields) {
        return "DELETE FROM " + qualifiedTable + " WHERE "
                + keyFields.stream().map(k -> quote(k) + " = ?").collect(Collectors.joining(" AND "));
    }

    /**
     * The target table as planned: key columns and columns the source declares NOT NULL are NOT NULL, every other column
     * says NULL explicitly (MySQL would otherwise make a TIMESTAMP column NOT NULL under explicit_defaults_for_timestamp=OFF).
     * Source defaults are not copied: every row written carries all its values.
     */
    default String createTableSql(String qualifiedTable, TargetTable table) {
        String columns = table.columns().stream()
                .map(c -> quote(c.name()) + " " + columnType(c)
                        + (table.keyFields().contains(c.name()) || !c.nullable() ? " NOT NULL" : " NULL"))
                .collect(Collectors.joining(",\n  "));
        String key = table.keyFields().stream().map(this::quote).collect(Collectors.joining(", "));
        return "CREATE TABLE " + qualifiedTable + " (\n  " + columns + ",\n  PRIMARY KEY (" + key + ")\n)";
    }
}
