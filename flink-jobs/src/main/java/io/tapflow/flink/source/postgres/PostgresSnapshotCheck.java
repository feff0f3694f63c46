package io.tapflow.flink.source.postgres;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.sink.jdbc.JdbcConnections;
import io.tapflow.flink.sink.jdbc.PostgresDialect;
import io.tapflow.flink.source.RefusedValue;
import io.tapflow.flink.source.RowTextReader;
import io.tapflow.flink.source.SourceValueCheck;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Corrects the temporal values of PostgreSQL snapshot rows. Flink CDC's snapshot reads them through JDBC's
 * java.sql types, which cut time to milliseconds, turn 24:00:00 into 00:00:00, and shift dates and timestamps before
 * the Gregorian reform (1582-10-15) by the Julian calendar, BC dates included (4713-01-01 BC arrived as 4713-01-01
 * AD); the change stream has them exact. A snapshot row is read back by key (its temporal columns as text) when
 * one of its values may be altered: every row with a time(4..6) column, and rows with a time of 00:00:00 or a date
 * before 1582-10-15. {@code infinity} and 24:00:00, which no row value holds, are refused as on the change stream.
 */
public final class PostgresSnapshotCheck implements SourceValueCheck {
    private static final long serialVersionUID = 1L;
    private static final Set<String> READ_BACK = Set.of("time_of_day", "date", "datetime", "timestamp", "decimal");
    private static final LocalDate GREGORIAN = LocalDate.of(1582, 10, 15);
    /** A day later than the reform, as a margin for the zone JDBC converted timestamptz values in. */
    private static final Instant GREGORIAN_INSTANT = GREGORIAN.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);

    private final Map<String, TableSchema> tables;
    /** Per table, the columns a snapshot may have altered (temporal and numeric), found once instead of per row. */
    private final Map<String, List<Column>> checkedColumns;
    private final RowTextReader reader;
    /** numeric columns (table.column) known to hold no NaN or infinity, so their NULLs are real; per subtask. */
    private transient Set<String> numbersOnly;

    PostgresSnapshotCheck(DataSource resolvedDataSource, List<TableSchema> tables) {
        this.tables = tables.stream().collect(Collectors.toMap(TableSchema::qualifiedName, t -> t));
        this.checkedColumns = tables.stream().collect(Collectors.toMap(TableSchema::qualifiedName,
                t -> t.columns().stream().filter(c -> READ_BACK.contains(c.dataType())).toList()));
        this.reader = new RowTextReader(resolvedDataSource, new PostgresText(), READ_BACK);
    }

    @Override
    public boolean check(Op op, String table, Map<String, Object> row, Map<String, Object> key, boolean sawSuspect) {
        TableSchema schema = tables.get(table);
        if (op != Op.READ || row == null || schema == null || schema.primaryKey().isEmpty()
                || checkedColumns.get(table).isEmpty()
                || !mayBeAltered(checkedColumns.get(table), row) && !mayHideSpecialNumber(schema, row)) {
            return false;
        }
        Map<String, String> current = reader.read(schema, key);
        if (current == null) {
            return false;
        }
        boolean refused = false;
        for (Column c : checkedColumns.get(table)) {
            if (c.dataType().equals("decimal") && row.get(c.name()) == null && current.get(c.name()) != null) {
                // The snapshot reads numeric NaN and infinity as NULL; the change stream refuses them.
                row.put(c.name(), RefusedValue.specialNumber(current.get(c.name())));
                refused = true;
            } else if (!c.dataType().equals("decimal") && row.containsKey(c.name())) {
                String text = current.get(c.name());
                Object exact = text == null ? null : PostgresTemporalText.parse(c.dataType(), text);
                if (text != null && exact == null) {
                    row.put(c.name(), text.endsWith("infinity") ? RefusedValue.infinity(text) : RefusedValue.timeOfDay(text));
                    refused = true;
                } else {
                    row.put(c.name(), exact);
                }
            }
        }
        return refused;
    }

    /** A NULL numeric may be a NaN or infinity the snapshot could not read; asked once per column whether it holds any. */
    private boolean mayHideSpecialNumber(TableSchema schema, Map<String, Object> row) {
        if (numbersOnly == null) {
            numbersOnly = new java.util.HashSet<>();
        }
        for (Column c : checkedColumns.get(schema.qualifiedName())) {
            String id = schema.qualifiedName() + "." + c.name();
            if (c.dataType().equals("decimal") && row.get(c.name()) == null && !numbersOnly.contains(id)) {
                if (reader.exists(schema, reader.quote(c.name()) + "::text IN ('NaN', 'Infinity', '-Infinity')")) {
                    return true;
                }
                numbersOnly.add(id);
            }
        }
        return false;
    }

    private static boolean mayBeAltered(List<Column> checked, Map<String, Object> row) {
        for (Column c : checked) {
            Object v = row.get(c.name());
            boolean altered = switch (c.dataType()) {
                case "time_of_day" -> c.precision() > 3 || LocalTime.MIDNIGHT.equals(v);
                case "date" -> v instanceof LocalDate d && d.isBefore(GREGORIAN);
                case "datetime" -> v instanceof LocalDateTime t && t.toLocalDate().isBefore(GREGORIAN);
                case "timestamp" -> v instanceof Instant i && i.isBefore(GREGORIAN_INSTANT);
                default -> false;
            };
            if (altered) {
                return true;
            }
        }
        return false;
    }

    /** PostgreSQL's side of {@link RowTextReader}; the session is in UTC so timestamptz text ends in +00. */
    private static final class PostgresText implements RowTextReader.Sql {
        private static final long serialVersionUID = 1L;
        private static final PostgresDialect DIALECT = new PostgresDialect();

        @Override
        public Connection open(DataSource ds) throws SQLException {
            return PostgresQueryRows.utcTextSession(ds);
        }

        @Override
        public String text(String column) {
            return quote(column) + "::text";
        }

        @Override
        public String table(TableSchema table) {
            return quote(table.database()) + "." + quote(table.table());
        }

        @Override
        public String quote(String identifier) {
            return DIALECT.quote(identifier);
        }

        @Override
        public RuntimeException describe(DataSource ds, SQLException e) {
            return JdbcConnections.describe(ds, e);
        }
    }
}
