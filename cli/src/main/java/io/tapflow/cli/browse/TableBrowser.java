package io.tapflow.cli.browse;

import io.tapflow.dsl.ConnectorTypes;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.sink.jdbc.MySqlDialect;
import io.tapflow.flink.sink.jdbc.PostgresDialect;
import java.util.List;
import java.util.Map;

/** Looks into the tables (or collections) of one datasource for the shell: list, describe, peek, count. */
public interface TableBrowser {

    /** A column as the shell shows it; {@code key} marks primary-key columns. */
    record Column(String name, String type, boolean key) {}

    List<String> tables();

    List<Column> columns(String table);

    /** Up to {@code n} rows, each as column name to the value as text, in column order. */
    List<Map<String, String>> peek(String table, int n);

    long count(String table);

    /** The browser for a catalog datasource; its {@code ${env:NAME}} references are resolved here. */
    static TableBrowser of(DataSource ds) {
        DataSource resolved = ds.resolved();
        return switch (ConnectorTypes.get(ds.type()).identifier()) {
            case "mysql" -> new JdbcTableBrowser(new MySqlDialect(), resolved);
            case "postgres" -> new JdbcTableBrowser(new PostgresDialect(), resolved);
            case "mongodb" -> new MongoTableBrowser(resolved);
            case "elasticsearch" -> new ElasticsearchTableBrowser(resolved);
            case "kafka" -> new KafkaTableBrowser(resolved);
            default -> throw new TapflowException("cannot look into datasource '" + ds.name() + "': type '" + ds.type()
                    + "' has no table browser; browsable types: mysql, mariadb, postgres, mongodb, elasticsearch, kafka");
        };
    }

    /** Fails unless {@code tables} (the datasource's) holds the table, naming the ones it has. */
    static void require(DataSource ds, String table, List<String> tables) {
        if (!tables.contains(table)) {
            throw new TapflowException("no table '" + table + "' in datasource '" + ds.name() + "' (" + ds.type() + "); tables: "
                    + (tables.isEmpty() ? "none" : String.join(", ", tables)));
        }
    }
}
