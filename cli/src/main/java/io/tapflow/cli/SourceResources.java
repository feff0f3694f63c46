package io.tapflow.cli;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.flink.connector.ConnectorFactories;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Frees what a deleted pipeline's source keeps on its server: a PostgreSQL source's replication slot and publication
 * (a MySQL source keeps nothing), for every source of a union. The server is the one the pipeline was last started against; the credentials are
 * the catalog's when it still has that datasource for that server, since a started spec holds only
 * {@code ${env:NAME}} references that this shell may not have.
 */
final class SourceResources {
    private SourceResources() {}

    /** @return what was released, one line each, for the user */
    static List<String> release(Catalog catalog, JobSpec started) {
        List<String> released = new ArrayList<>();
        for (DataSource shipped : started.sourceDataSources()) {
            DataSource ds = shipped;
            if (catalog.exists(shipped.name())) {
                DataSource current = catalog.get(shipped.name());
                if (sameServer(current, shipped)) {
                    ds = current;
                }
            }
            released.addAll(ConnectorFactories.source(ds.type()).release(ds.resolved(),
                    started.pipeline().sourceResourceName(shipped.name())));
        }
        return released;
    }

    private static boolean sameServer(DataSource a, DataSource b) {
        return a.type().equals(b.type()) && Objects.equals(a.get("host"), b.get("host"))
                && Objects.equals(a.get("port"), b.get("port")) && Objects.equals(a.get("database"), b.get("database"));
    }
}
