package io.tapflow.flink.source;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.schema.TableSchema;
import java.time.ZoneId;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.cdc.connectors.mysql.source.MySqlSource;
import org.apache.flink.cdc.connectors.mysql.source.MySqlSourceBuilder;
import org.apache.flink.cdc.connectors.mysql.table.StartupOptions;
import org.apache.flink.table.catalog.ObjectPath;

/** Builds the Flink CDC MySQL source (snapshot, then binlog) for a MySQL/MariaDB datasource. */
public final class MySqlCdcSourceFactory {
    private MySqlCdcSourceFactory() {}

    /**
     * @param ds          the datasource with env references resolved
     * @param tables      schemas of the tables to read, from {@link MySqlSourceInspector}
     * @param keyOverride the pipeline's key fields, used as chunk key for tables without a primary key
     * @param parallelism snapshot readers; the binlog is read by one of them
     */
    public static MySqlSource<ChangeEvent> create(DataSource ds, List<TableSchema> tables, List<String> keyOverride,
                                                  ZoneId serverTimeZone, int parallelism) {
        MySqlSourceBuilder<ChangeEvent> builder = MySqlSource.<ChangeEvent>builder()
                .hostname(ds.get("host"))
                .port(ds.getInt("port"))
                .username(ds.get("username"))
                .password(ds.get("password") == null ? "" : ds.get("password"))
                .databaseList(ds.get("database"))
                .tableList(tables.stream().map(TableSchema::qualifiedName).toArray(String[]::new))
                .serverId(serverIds(ds, parallelism))
                .serverTimeZone(serverTimeZone.getId())
                .splitSize(ds.getInt("snapshot.chunk-size"))
                .fetchSize(ds.getInt("snapshot.fetch-size"))
                .startupOptions(StartupOptions.initial())
                .closeIdleReaders(true)
                .deserializer(new ChangeEventDeserializer())
                .debeziumProperties(debeziumProperties(ds));
        for (TableSchema t : tables) {
            if (t.primaryKey().isEmpty() && !keyOverride.isEmpty()) {
                builder.chunkKeyColumn(new ObjectPath(t.database(), t.table()), keyOverride.get(0));
            }
        }
        return builder.build();
    }

    private static Properties debeziumProperties(DataSource ds) {
        Properties p = new Properties();
        // Exact numbers: DECIMAL and BIGINT UNSIGNED as BigDecimal, never double or base64.
        p.setProperty("decimal.handling.mode", "precise");
        p.setProperty("bigint.unsigned.handling.mode", "precise");
        p.setProperty("binary.handling.mode", "bytes");
        p.setProperty("time.precision.mode", "adaptive_time_microseconds");
        // Debezium's default 500 ms poll wait puts a floor under latency and slows the snapshot (see ENVIRONMENT.md).
        p.setProperty("poll.interval.ms", ds.get("poll-interval-ms"));
        p.setProperty("max.batch.size", "8192");
        p.setProperty("max.queue.size", "32768");
        return p;
    }

    /** One binlog client id per reader; the id must not clash with other replicas of the server. */
    private static String serverIds(DataSource ds, int parallelism) {
        String configured = ds.get("server-id");
        if (configured != null) {
            return configured;
        }
        int start = 5400 + ThreadLocalRandom.current().nextInt(0, 100_000);
        return start + "-" + (start + parallelism - 1);
    }
}
