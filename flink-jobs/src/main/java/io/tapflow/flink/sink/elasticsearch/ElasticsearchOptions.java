package io.tapflow.flink.sink.elasticsearch;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.ElasticsearchTls;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.sink.OptionNumbers;
import java.io.Serializable;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The options of an Elasticsearch datasource, parsed and checked once; every bad value is reported together.
 * {@code caCertificates} is the PEM text of option {@code tls.ca-file}, or null to trust the JVM's CAs.
 */
public record ElasticsearchOptions(String datasource, List<URI> hosts, String username, String password,
                                   String indexPrefix, WriteMode writeMode, int bulkMaxActions, long bulkMaxBytes,
                                   String refresh, String caCertificates) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How a row becomes a document. */
    public enum WriteMode {
        /** Replace the whole document. */
        INDEX,
        /** Merge the row's fields into the document ({@code doc_as_upsert}), keeping fields others wrote. */
        UPDATE
    }

    public ElasticsearchOptions {
        hosts = List.copyOf(hosts);
    }

    public static ElasticsearchOptions of(DataSource ds) {
        List<String> problems = new ArrayList<>();
        List<URI> hosts = new ArrayList<>();
        for (String host : ds.options().getOrDefault("hosts", "").split(",")) {
            if (host.isBlank()) {
                continue;
            }
            try {
                URI uri = URI.create(host.strip());
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new IllegalArgumentException();
                }
                hosts.add(uri);
            } catch (IllegalArgumentException e) {
                problems.add("option 'hosts': '" + host.strip() + "' is not a URL such as http://localhost:9200");
            }
        }
        if (hosts.isEmpty() && problems.isEmpty()) {
            problems.add("option 'hosts' names no URL; give one or more, comma separated, e.g. http://localhost:9200");
        }
        WriteMode mode = null;
        String modeText = ds.options().getOrDefault("write-mode", "index");
        try {
            mode = WriteMode.valueOf(modeText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add("option 'write-mode' is '" + modeText + "'; allowed: index, update");
        }
        int actions = (int) OptionNumbers.positive(ds, "bulk.max-actions", 1000, problems);
        long bytes = OptionNumbers.positive(ds, "bulk.max-bytes", 5L * 1024 * 1024, problems);
        String refresh = ds.options().getOrDefault("refresh", "false");
        if (!List.of("false", "true", "wait_for").contains(refresh)) {
            problems.add("option 'refresh' is '" + refresh + "'; allowed: false, true, wait_for");
        }
        String caFile = ds.options().get(ElasticsearchTls.OPTION);
        String caCertificates = null;
        if (caFile != null) {
            caCertificates = ElasticsearchTls.readCaFile(caFile, problems);
            if (hosts.stream().anyMatch(h -> !"https".equals(h.getScheme()))) {
                problems.add("option '" + ElasticsearchTls.OPTION + "' is for https:// hosts, but 'hosts' has an http:// URL");
            }
        }
        String prefix = ds.options().getOrDefault("index-prefix", "");
        if (!prefix.equals(prefix.toLowerCase(Locale.ROOT))) {
            problems.add("option 'index-prefix' is '" + prefix + "'; Elasticsearch index names are lower case");
        }
        if (!problems.isEmpty()) {
            throw new TapflowException("Elasticsearch datasource '" + ds.name() + "': " + String.join("; ", problems));
        }
        return new ElasticsearchOptions(ds.name(), hosts, ds.options().get("username"), ds.options().get("password"),
                prefix, mode, actions, bytes, refresh, caCertificates);
    }

    /** The index a target table is written to. */
    public String index(String table) {
        return indexPrefix + table;
    }

    /** For messages: the datasource and its hosts, never the credentials. */
    public String where() {
        return "Elasticsearch datasource '" + datasource + "' (" + String.join(",", hosts.stream()
                .map(h -> h.getScheme() + "://" + h.getHost() + (h.getPort() < 0 ? "" : ":" + h.getPort())).toList()) + ")";
    }

    @Override
    public String toString() {
        return where();
    }
}
