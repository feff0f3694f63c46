package io.tapflow.cli.quickstart;

import io.tapflow.dsl.DataSource;

/**
 * One target of the quickstart: the datasource its pipeline writes, how many demo rows it holds, and whether it shows
 * a live change yet. Checks are cheap enough to poll every millisecond or so.
 */
interface DemoTarget extends AutoCloseable {
    /** The name in the snapshot line ("PostgreSQL"). */
    String name();

    /** The name beside each latency ("MongoDB (emulator)"). */
    default String label() {
        return name();
    }

    DataSource dataSource();

    /** The demo rows the target holds now. */
    long rows() throws Exception;

    /** Whether the target shows the change: the row with this note, or the row gone. */
    boolean shows(int id, String note, boolean deleted) throws Exception;

    @Override
    default void close() throws Exception {
    }
}
