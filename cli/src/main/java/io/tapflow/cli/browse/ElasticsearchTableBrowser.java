package io.tapflow.cli.browse;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.sink.elasticsearch.ElasticsearchTargets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Browses the indices of an Elasticsearch cluster: their mapped fields, first documents and document counts. */
final class ElasticsearchTableBrowser implements TableBrowser {
    private final DataSource ds;

    ElasticsearchTableBrowser(DataSource resolvedDataSource) {
        this.ds = resolvedDataSource;
    }

    @Override
    public List<String> tables() {
        return ElasticsearchTargets.listIndices(ds);
    }

    @Override
    public List<Column> columns(String table) {
        TableBrowser.require(ds, table, tables());
        List<Column> columns = new ArrayList<>(List.of(new Column("_id", "document id", true)));
        ElasticsearchTargets.fieldTypes(ds, table).forEach((field, type) -> columns.add(new Column(field, type, false)));
        return columns;
    }

    @Override
    public List<Map<String, String>> peek(String table, int n) {
        TableBrowser.require(ds, table, tables());
        return ElasticsearchTargets.documents(ds, table, n);
    }

    @Override
    public long count(String table) {
        TableBrowser.require(ds, table, tables());
        return ElasticsearchTargets.count(ds, table);
    }
}
