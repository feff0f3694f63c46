package io.tapflow.servers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Kafka and Elasticsearch start as child JVMs, answer on loopback, and leave nothing behind when closed. */
class StreamingServersITCase {

    @Test
    void elasticsearchAnswersAsVersion7102AndStopsWithItsFiles() throws Exception {
        Path directory = Path.of("target", "embedded-servers", "es-lifecycle-" + ProcessHandle.current().pid());
        String url;
        try (ElasticsearchServer es = ElasticsearchServer.start(directory)) {
            url = es.url();
            HttpResponse<String> root = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(root.statusCode()).isEqualTo(200);
            assertThat(root.body()).contains("\"number\" : \"7.10.2\"");
        }
        assertThat(Files.exists(directory)).isFalse();
        URI stopped = URI.create(url);
        assertThatThrownBy(() -> connect(stopped.getHost(), stopped.getPort())).isInstanceOf(IOException.class);
    }

    @Test
    void kafkaListensOnItsBootstrapAddressAndStopsWithItsFiles() throws Exception {
        Path directory = Path.of("target", "embedded-servers", "kafka-lifecycle-" + ProcessHandle.current().pid());
        String bootstrap;
        try (KafkaServer kafka = KafkaServer.start(directory)) {
            bootstrap = kafka.bootstrapServers();
            String[] hostPort = bootstrap.split(":");
            connect(hostPort[0], Integer.parseInt(hostPort[1]));
            assertThat(Files.readString(directory.toAbsolutePath().resolve("kafka.log"))).contains("Kafka Server started");
        }
        assertThat(Files.exists(directory)).isFalse();
        String[] hostPort = bootstrap.split(":");
        assertThatThrownBy(() -> connect(hostPort[0], Integer.parseInt(hostPort[1]))).isInstanceOf(IOException.class);
    }

    private static void connect(String host, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
        }
    }
}
