package io.tapflow.flink.source;

import io.debezium.document.Document;
import io.debezium.document.DocumentReader;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;

/**
 * Events about whole source tables: a DROP TABLE or TRUNCATE in MySQL/MariaDB's binlog (a schema-change record; Debezium
 * 1.9 gives such statements no table changes, so the statement itself is read) and a TRUNCATE from PostgreSQL (a
 * change record of operation {@code t}).
 */
final class TableEvents {
    private static final String MYSQL_SCHEMA_CHANGE_KEY = "io.debezium.connector.mysql.SchemaChangeKey";
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL);
    private static final Pattern DROP = Pattern.compile(
            "(?is)\\s*DROP\\s+(?:TEMPORARY\\s+)?TABLES?\\s+(?:IF\\s+EXISTS\\s+)?(.+?)(?:\\s+(?:RESTRICT|CASCADE))?\\s*;?\\s*");
    private static final Pattern TRUNCATE = Pattern.compile("(?is)\\s*TRUNCATE\\s+(?:TABLE\\s+)?(.+?)\\s*;?\\s*");
    /** One table name: `db`.`t`, db.t, `t` or t. */
    private static final Pattern NAME = Pattern.compile("(?:(`(?:[^`]|``)+`|[^\\s.,`]+)\\.)?(`(?:[^`]|``)+`|[^\\s.,`]+)");

    private TableEvents() {}

    /** The tables a MySQL schema-change record drops or truncates, as events; empty for any other record. */
    static List<ChangeEvent> ofMySqlSchemaChange(SourceRecord record) {
        if (record.keySchema() == null || !MYSQL_SCHEMA_CHANGE_KEY.equalsIgnoreCase(record.keySchema().name())
                || !(record.value() instanceof Struct value) || value.schema().field("historyRecord") == null) {
            return List.of();
        }
        Document history;
        try {
            history = DocumentReader.defaultReader().read(value.getString("historyRecord"));
        } catch (IOException e) {
            throw new IllegalStateException("a schema-change record of the binlog cannot be read: " + e.getMessage(), e);
        }
        String ddl = history.getString("ddl");
        String database = history.getString("databaseName");
        Document position = history.getDocument("position");
        long ts = position == null ? 0L : position.getLong("ts_sec", 0L) * 1000;
        return ddl == null ? List.of() : of(ddl, database, ts);
    }

    /** The table events of one statement run in {@code database}. */
    static List<ChangeEvent> of(String ddl, String database, long sourceTsMs) {
        String statement = COMMENT.matcher(ddl).replaceAll(" ");
        Matcher drop = DROP.matcher(statement);
        Matcher truncate = TRUNCATE.matcher(statement);
        Op op = drop.matches() ? Op.DROP_TABLE : truncate.matches() ? Op.TRUNCATE : null;
        if (op == null) {
            return List.of();
        }
        List<ChangeEvent> events = new ArrayList<>();
        Matcher name = NAME.matcher(op == Op.DROP_TABLE ? drop.group(1) : truncate.group(1));
        while (name.find()) {
            String db = name.group(1) == null ? database : unquote(name.group(1));
            events.add(tableEvent(op, db + "." + unquote(name.group(2)), sourceTsMs));
        }
        return events;
    }

    static ChangeEvent tableEvent(Op op, String table, long sourceTsMs) {
        return new ChangeEvent(op, table, new LinkedHashMap<>(), null, null, sourceTsMs);
    }

    private static String unquote(String identifier) {
        return identifier.startsWith("`") ? identifier.substring(1, identifier.length() - 1).replace("``", "`") : identifier;
    }
}
