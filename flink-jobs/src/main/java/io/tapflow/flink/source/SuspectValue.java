package io.tapflow.flink.source;

/**
 * A value from the binlog that the binlog decoder (Debezium 1.9) may have got wrong (see {@code
 * DebeziumValueConverter#isSuspect}): {@link BinlogReadBack} reads the row's value back from the source to decide.
 * Never a row value.
 *
 * @param decoded what the binlog reader delivered
 */
public record SuspectValue(Object decoded) {}
