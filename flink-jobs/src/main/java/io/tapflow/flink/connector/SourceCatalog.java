package io.tapflow.flink.connector;

import java.util.Map;

/**
 * A source's catalog, watched while the job runs for what its change stream does not show: PostgreSQL's logical
 * decoding carries no DROP TABLE, and a publication that lists tables carries no rows of a table created later until
 * the table is added to it.
 */
public interface SourceCatalog extends AutoCloseable {
    /**
     * The tables of the source's namespace now ({@code namespace.table}), each with an identity that changes when the
     * table is dropped and created again under its name.
     */
    Map<String, Long> tables();

    /** Whether the change stream carries every table created later from its creation on (then none needs capturing). */
    boolean capturesFromCreation();

    /** Whether the change stream carries the table's changes now (without trying to make it so). */
    boolean captured(String qualifiedTable);

    /**
     * Makes the change stream carry the table's changes from now on.
     *
     * @return null when it does; otherwise one line saying why not and what an administrator must run
     */
    String capture(String qualifiedTable);

    @Override
    void close();
}
