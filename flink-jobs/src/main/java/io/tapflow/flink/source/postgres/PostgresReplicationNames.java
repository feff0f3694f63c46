package io.tapflow.flink.source.postgres;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * The names of what a pipeline keeps on a PostgreSQL source: its replication slot and its publication, both
 * {@code tapflow_<pipeline name>}. PostgreSQL allows [a-z0-9_] and {@value #MAX_LENGTH} characters for slot names, so
 * the pipeline name is lower-cased and every other character becomes '_'; a longer name is cut and ends in a hash of
 * the full pipeline name, so two long names stay apart.
 */
public final class PostgresReplicationNames {
    static final int MAX_LENGTH = 63;
    private static final String PREFIX = "tapflow_";

    private PostgresReplicationNames() {}

    /** The replication slot of a pipeline, e.g. "tapflow_orders_job" for "Orders-Job". */
    public static String slotName(String pipelineName) {
        String name = PREFIX + pipelineName.toLowerCase().replaceAll("[^a-z0-9_]", "_");
        if (name.length() <= MAX_LENGTH) {
            return name;
        }
        CRC32 crc = new CRC32();
        crc.update(pipelineName.getBytes(StandardCharsets.UTF_8));
        String hash = HexFormat.of().toHexDigits((int) crc.getValue());
        return name.substring(0, MAX_LENGTH - hash.length() - 1) + "_" + hash;
    }

    /** The publication of a pipeline: named like its slot, holding only the pipeline's tables. */
    public static String publicationName(String pipelineName) {
        return slotName(pipelineName);
    }
}
