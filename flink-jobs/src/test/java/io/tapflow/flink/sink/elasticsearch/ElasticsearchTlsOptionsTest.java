package io.tapflow.flink.sink.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.ElasticsearchTls;
import io.tapflow.dsl.TapflowException;
import io.tapflow.servers.TestCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Option tls.ca-file: checked when the options are read, and turned into an SSL context trusting just that CA. */
class ElasticsearchTlsOptionsTest {
    @TempDir
    Path dir;

    private static DataSource es(String hosts, String caFile) {
        return DataSource.of("elasticsearch", "search").option("hosts", hosts).option("tls.ca-file", caFile);
    }

    @Test
    void aPemCaFileTravelsWithTheOptionsAndBuildsAContext() throws Exception {
        TestCertificate certificate = TestCertificate.generate(dir);
        ElasticsearchOptions options = ElasticsearchOptions.of(es("https://127.0.0.1:9200", certificate.caPem().toString()));
        assertThat(options.caCertificates()).isEqualTo(Files.readString(certificate.caPem()));
        assertThat(((X509Certificate) ElasticsearchTls.certificates(options.caCertificates()).get(0))
                .getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        SSLContext context = ElasticsearchTls.sslContext(options.caCertificates());
        assertThat(context.getProtocol()).isEqualTo("TLS");
        assertThat(ElasticsearchOptions.of(DataSource.of("es", "s").option("hosts", "https://h")).caCertificates()).isNull();
    }

    @Test
    void aMissingFileIsReportedWithWhatToGive() {
        assertThatThrownBy(() -> ElasticsearchOptions.of(es("https://h:9200", dir.resolve("nope.pem").toString())))
                .isInstanceOf(TapflowException.class)
                .hasMessage("Elasticsearch datasource 'search': option 'tls.ca-file': file '" + dir.resolve("nope.pem")
                        + "' does not exist; give a PEM file of the CA that signed the cluster's certificate");
    }

    @Test
    void aFileWithoutACertificateIsRefused() throws Exception {
        Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> ElasticsearchOptions.of(es("https://h:9200", key.toString())))
                .hasMessageContaining("option 'tls.ca-file': '" + key + "' is not a PEM certificate file (no '-----BEGIN"
                        + " CERTIFICATE-----' line)");
        Path broken = Files.writeString(dir.resolve("broken.pem"),
                "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> ElasticsearchOptions.of(es("https://h:9200", broken.toString())))
                .hasMessageContaining("'" + broken + "' is not a PEM certificate file (");
    }

    @Test
    void aCaFileWithAnHttpHostIsReportedWithTheOtherProblems() throws Exception {
        TestCertificate certificate = TestCertificate.generate(dir);
        assertThatThrownBy(() -> ElasticsearchOptions.of(es("http://h:9200", certificate.caPem().toString())
                .option("refresh", "sometimes")))
                .hasMessage("Elasticsearch datasource 'search': option 'refresh' is 'sometimes'; allowed: false, true,"
                        + " wait_for; option 'tls.ca-file' is for https:// hosts, but 'hosts' has an http:// URL");
    }
}
