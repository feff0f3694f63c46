package io.tapflow.flink.sink.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapflow.dsl.ElasticsearchTls;
import io.tapflow.dsl.TapflowException;
import java.io.Closeable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * The Elasticsearch low-level REST client with tapflow's errors: an unreachable cluster, wrong credentials and
 * refused requests each become one message naming the datasource (never its password).
 */
public final class ElasticsearchClient implements Closeable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson", StandardCharsets.UTF_8);
    private final RestClient client;
    private final ElasticsearchOptions options;

    public ElasticsearchClient(ElasticsearchOptions options) {
        this.options = options;
        HttpHost[] hosts = options.hosts().stream()
                .map(u -> new HttpHost(u.getHost(), u.getPort() < 0 ? defaultPort(u) : u.getPort(), u.getScheme()))
                .toArray(HttpHost[]::new);
        var builder = RestClient.builder(hosts)
                .setRequestConfigCallback(c -> c.setConnectTimeout(5_000).setSocketTimeout(60_000));
        BasicCredentialsProvider credentials = options.username() == null ? null : new BasicCredentialsProvider();
        if (credentials != null) {
            credentials.setCredentials(AuthScope.ANY, new UsernamePasswordCredentials(options.username(),
                    options.password() == null ? "" : options.password()));
        }
        SSLContext tls = options.caCertificates() == null ? null : ElasticsearchTls.sslContext(options.caCertificates());
        builder.setHttpClientConfigCallback(h -> {
            if (credentials != null) {
                h.setDefaultCredentialsProvider(credentials);
            }
            return tls == null ? h : h.setSSLContext(tls);
        });
        this.client = builder.build();
    }

    private static int defaultPort(URI uri) {
        return "https".equals(uri.getScheme()) ? 443 : 9200;
    }

    /** A JSON answer and its HTTP status. */
    public record Answer(int status, JsonNode body) {}

    /**
     * Sends a request and returns the answer whatever its status (the caller decides what a 404 or a 429 means),
     * except 401 and 403, which fail with a clear message.
     */
    public Answer send(String method, String path, String body) throws IOException {
        Request request = new Request(method, path);
        if (body != null) {
            request.setEntity(new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8),
                    path.endsWith("_bulk") || path.contains("_bulk?") ? NDJSON : ContentType.APPLICATION_JSON));
        }
        Response response;
        try {
            response = client.performRequest(request);
        } catch (ResponseException e) {
            response = e.getResponse();
        } catch (SSLException e) {
            throw new TapflowException(ElasticsearchTls.handshakeFailure(options.where(), options.caCertificates() != null,
                    e.getMessage()), e);
        } catch (ConnectException e) {
            throw new TapflowException(options.where() + ": cannot connect (" + e.getMessage()
                    + "); check that the cluster runs and the hosts option is right", e);
        }
        int status = response.getStatusLine().getStatusCode();
        String text = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
        if (status == 401 || status == 403) {
            throw new TapflowException(options.where() + ": " + (status == 401
                    ? "authentication failed: wrong user name or password"
                    : "user '" + options.username() + "' may not " + method + " " + path) + " (HTTP " + status + ")");
        }
        JsonNode json = text.isBlank() ? JSON.nullNode() : JSON.readTree(text);
        return new Answer(status, json);
    }

    /** As {@link #send}, failing unless the status is 2xx. */
    public JsonNode ok(String method, String path, String body) throws IOException {
        Answer answer = send(method, path, body);
        if (answer.status() / 100 != 2) {
            throw new TapflowException(options.where() + ": " + method + " " + path + " failed with HTTP " + answer.status()
                    + ": " + reason(answer.body()));
        }
        return answer.body();
    }

    /** The cluster's reason in an error answer: {@code type: reason}. */
    static String reason(JsonNode body) {
        JsonNode error = body.path("error");
        if (error.isTextual()) {
            return error.asText();
        }
        if (error.isObject()) {
            String reason = error.path("type").asText() + ": " + error.path("reason").asText();
            JsonNode cause = error.path("caused_by");
            return cause.isObject() ? reason + " (" + cause.path("type").asText() + ": " + cause.path("reason").asText() + ")"
                    : reason;
        }
        return body.toString();
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
