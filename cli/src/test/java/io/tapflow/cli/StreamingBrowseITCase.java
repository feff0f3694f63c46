package io.tapflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.servers.ElasticsearchServer;
import io.tapflow.servers.KafkaServer;
import io.tapflow.servers.SharedServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code datasource test} and the shell's show tables / desc / peek / count / help on a real Elasticsearch and Kafka. */
class StreamingBrowseITCase {
    @RegisterExtension
    final CliRun cli = new CliRun();

    @Test
    void browsesElasticsearchIndicesAndKafkaTopics() throws Exception {
        String suffix = Long.toString(ProcessHandle.current().pid());
        String index = "people_" + suffix;
        String topic = "orders_" + suffix;
        ElasticsearchServer es = SharedServers.elasticsearch();
        es(es, "PUT", "/" + index, "{\"mappings\":{\"properties\":{\"name\":{\"type\":\"keyword\"},\"born\":{\"type\":\"date\",\"format\":\"yyyy-MM-dd\"}}}}");
        es(es, "PUT", "/" + index + "/_doc/1?refresh=true", "{\"name\":\"Ada\",\"born\":\"1815-12-10\"}");
        es(es, "PUT", "/" + index + "/_doc/2?refresh=true", "{\"name\":\"Grace\",\"born\":\"1906-12-09\"}");
        KafkaServer kafka = SharedServers.kafka();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        Properties props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(record(topic, "{\"id\":1}", "{\"id\":1,\"item\":\"book\",\"amount\":12.50}")).get();
            producer.send(record(topic, "{\"id\":2}", "{\"id\":2,\"item\":\"pen\",\"amount\":1.2}")).get();
        }

        assertThat(cli.run("datasource", "add", "search", "--type", "es", "-o", "hosts=" + es.url())).isZero();
        assertThat(cli.run("datasource", "add", "events", "--type", "kafka", "-o", "bootstrap-servers=" + kafka.bootstrapServers(),
                "-o", "format=json")).isZero();
        assertThat(cli.run("datasource", "test", "search")).isZero();
        assertThat(cli.out()).contains(index);
        assertThat(cli.run("datasource", "test", "events")).isZero();
        assertThat(cli.out()).contains(topic);
        assertThat(cli.run("datasource", "list")).isZero();
        assertThat(cli.out()).containsPattern("search\\s+es\\s+" + es.url().replace(".", "\\."));

        String out = ShellProcess.piped(cli.home(), Map.of(), String.join("\n",
                "use search", "show tables people_*", "desc " + index, "peek " + index + " -n 1", "count " + index,
                "use events", "show tables " + topic, "desc " + topic, "peek " + topic + " -n 1", "count " + topic,
                "peek nope", "help kafka", "help es") + "\n");

        assertThat(out).contains("using datasource 'search' (es)", "1 table(s) in 'search'")
                .containsPattern("_id\\s+document id\\s+PK")
                .containsPattern("born\\s+date \\(format yyyy-MM-dd\\)")
                .containsPattern("name\\s+keyword")
                .containsPattern("_id\\s+name\\s+born\n1\\s+Ada\\s+1815-12-10\n1 row\\(s\\)")
                .contains("tap> 2\n")
                .doesNotContain("commons-logging");
        assertThat(out).contains("using datasource 'events' (kafka)", "1 table(s) in 'events'")
                .containsPattern("id\\s+bigint\\s+PK")
                .containsPattern("item\\s+text")
                .containsPattern("amount\\s+decimal")
                .containsPattern("partition\\s+offset\\s+key\\s+value\n0\\s+1\\s+\\{\"id\":2\\}\\s+\\{\"id\":2,\"item\":\"pen\",\"amount\":1.2\\}")
                .contains("error: no table 'nope' in datasource 'events' (kafka); tables: ")
                .contains("bootstrap-servers", "scan.startup", "hosts", "write-mode");
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, String value) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    private static void es(ElasticsearchServer es, String method, String path, String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(es.url() + path))
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
    }
}
