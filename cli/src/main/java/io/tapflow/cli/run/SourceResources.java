package io.tapflow.cli.run;

import io.tapflow.cli.catalog.Catalog;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.HostNames;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Secrets;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.connector.ConnectorFactories;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Frees what a deleted pipeline's source keeps on its server: a PostgreSQL source's replication slot and publication
 * (a MySQL source keeps nothing), for every source of a union. The server is the one the pipeline was last started against; the credentials are
 * the catalog's when it still has that datasource for that server, since a started spec holds only
 * {@code ${env:NAME}} references that this shell may not have (and the spec 'tapflow run' records, masked secrets).
 */
public final class SourceResources {
    private static final String MASKED = Secrets.mask("secret");

    private SourceResources() {}

    /** @return what was released, one line each, for the user */
    public static List<String> release(Catalog catalog, JobSpec started) {
        List<String> released = new ArrayList<>();
        for (DataSource shipped : started.sourceDataSources()) {
            DataSource ds = shipped;
            if (catalog.exists(shipped.name())) {
                DataSource current = catalog.get(shipped.name());
                if (sameServer(current, shipped)) {
                    ds = current;
                }
            }
            try {
                released.addAll(ConnectorFactories.source(ds.type()).release(ds.resolved(),
                        started.pipeline().sourceResourceName(shipped.name())));
            } catch (TapflowException e) {
                if (ds == shipped && ds.options().values().stream().anyMatch(v -> v.contains(MASKED))) {
                    // A spec recorded by 'tapflow run' keeps no secrets: only the catalog has them.
                    throw new TapflowException("cannot release what pipeline '" + started.pipeline().name() + "' keeps on "
                            + "datasource '" + ds.name() + "' (" + ds.get("host") + ":" + ds.get("port") + "/"
                            + ds.get("database") + "): the catalog no longer has that datasource, and its password was not "
                            + "kept; add it again (tapflow datasource add " + ds.name() + " ...) and run delete again", e);
                }
                throw e;
            }
        }
        return released;
    }

    private static boolean sameServer(DataSource a, DataSource b) {
        return a.type().equals(b.type()) && HostNames.same(a.get("host"), b.get("host"))
                && Objects.equals(a.get("port"), b.get("port")) && Objects.equals(a.get("database"), b.get("database"));
    }
}
