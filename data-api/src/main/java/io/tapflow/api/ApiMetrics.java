package io.tapflow.api;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Prometheus metrics per API: requests by status, latency, errors (5xx), 429s, and database queries run. */
final class ApiMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder().name("tapflow_api_requests_total")
            .help("Requests per API and HTTP status").labelNames("api", "status").register(registry);
    private final Counter errors = Counter.builder().name("tapflow_api_errors_total")
            .help("Requests per API that failed on the server side (5xx)").labelNames("api").register(registry);
    private final Counter limited = Counter.builder().name("tapflow_api_rate_limited_total")
            .help("Requests per API refused with 429 by the key's rate limit").labelNames("api").register(registry);
    private final Counter queries = Counter.builder().name("tapflow_api_queries_total")
            .help("Database queries run per API").labelNames("api").register(registry);
    // Classic buckets only: the text format /metrics writes has no native histograms, which would cost every request.
    private final Histogram latency = Histogram.builder().name("tapflow_api_request_duration_seconds").classicOnly()
            .help("Request latency per API").labelNames("api").register(registry);

    void request(String api, int status, long nanos) {
        requests.labelValues(api, String.valueOf(status)).inc();
        latency.labelValues(api).observe(nanos / 1e9);
        if (status >= 500) {
            errors.labelValues(api).inc();
        }
        if (status == 429) {
            limited.labelValues(api).inc();
        }
    }

    void query(String api) {
        queries.labelValues(api).inc();
    }

    double queries(String api) {
        return queries.labelValues(api).get();
    }

    String text() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new PrometheusTextFormatWriter(false).write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
