package io.tapflow.flink.source;

/**
 * A DATE/DATETIME value from the binlog that may stand for a zero or invalid date (see {@code DebeziumValueConverter}):
 * {@link BinlogDateCheck} reads the row's value back from the source to decide. Never a row value.
 *
 * @param decoded what the binlog reader delivered (NULL, the column's DEFAULT, or epoch 0)
 */
record SuspectDate(Object decoded) {}
