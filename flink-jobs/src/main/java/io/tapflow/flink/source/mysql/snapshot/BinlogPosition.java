package io.tapflow.flink.source.mysql.snapshot;

import java.io.Serializable;

/** A position in the source's binary log: where change streaming starts once the snapshot is done. */
public record BinlogPosition(String file, long position) implements Serializable {
    private static final long serialVersionUID = 1L;
}
