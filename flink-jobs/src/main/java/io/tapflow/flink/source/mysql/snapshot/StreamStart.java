package io.tapflow.flink.source.mysql.snapshot;

import java.util.Map;

/**
 * Where the change stream starts, and the table schemas at that position: Flink CDC's JSON form of each captured
 * table's Debezium schema, keyed by its table id (opaque to the snapshot, which only keeps them for the binlog source).
 */
public record StreamStart(BinlogPosition position, Map<String, String> tableSchemas) {
    public StreamStart {
        tableSchemas = Map.copyOf(tableSchemas);
    }
}
