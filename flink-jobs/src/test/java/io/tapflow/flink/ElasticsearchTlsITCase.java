package io.tapflow.flink;

import static io.tapflow.flink.TestDatabases.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.job.JobPlan;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.servers.SharedServers;
import io.tapflow.servers.TestCertificate;
import io.tapflow.servers.TlsProxy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Elasticsearch datasource over https with option tls.ca-file: the shared (plain-HTTP) node behind a TLS proxy
 * presenting a certificate signed by a CA of the test's own, which the JVM does not trust.
 */
class ElasticsearchTlsITCase {
    @TempDir
    Path dir;

    @Test
    void aPipelineWritesOverHttpsTrustingTheCaFileAndAnUntrustedCertificateIsOneClearError() throws Exception {
        TestCertificate certificate = TestCertificate.generate(dir.resolve("ca"));
        URI plain = URI.create(SharedServers.elasticsearch().url());
        String db = TestDatabases.freshName("es_tls");
        DataSource mysql = TestDatabases.mysqlSource(db);
        TestDatabases.mysql(db, "CREATE TABLE customer (id INT PRIMARY KEY, name VARCHAR(50))",
                "INSERT INTO customer VALUES (1, 'Ada'), (2, 'Grace')");
        try (TlsProxy proxy = new TlsProxy(certificate.serverContext(), plain.getHost(), plain.getPort())) {
            DataSource untrusted = ElasticsearchDocuments.datasource("es-tls", db + "_")
                    .option("hosts", "https://127.0.0.1:" + proxy.port());
            Pipeline pipeline = Pipeline.named("es-tls").readFrom(mysql.table("customer"))
                    .checkpointInterval(Duration.ofSeconds(2)).writeTo(untrusted);
            assertThatThrownBy(() -> JobPlanner.plan(JobSpec.of(pipeline, mysql, untrusted)))
                    .isInstanceOf(TapflowException.class)
                    .hasMessageStartingWith("Elasticsearch datasource 'es-tls' (https://127.0.0.1:" + proxy.port()
                            + "): TLS handshake failed (")
                    .hasMessageEndingWith("if the cluster's certificate is signed by a CA of its own, give that CA's PEM"
                            + " file as option 'tls.ca-file'");
            TestCertificate other = TestCertificate.generate(dir.resolve("other"));
            DataSource wrongCa = untrusted.option("tls.ca-file", other.caPem().toString());
            assertThatThrownBy(() -> JobPlanner.plan(JobSpec.of(pipeline.writeTo(wrongCa), mysql, wrongCa)))
                    .hasMessageEndingWith("check that option 'tls.ca-file' holds the CA that signed the cluster's certificate"
                            + " and that the certificate names the host");
            assertThat(ElasticsearchDocuments.request("GET", "/" + db + "_customer", null)
                    .path("status").asInt()).as("nothing created by the failed plans").isEqualTo(404);

            DataSource trusted = untrusted.option("tls.ca-file", certificate.caPem().toString());
            JobPlan plan = JobPlanner.plan(JobSpec.of(pipeline.writeTo(trusted), mysql, trusted));
            try (RunningPipeline job = LocalPipelineRunner.start(plan, TestDatabases.runOptions(dir.resolve("cp")))) {
                String index = db + "_customer";
                await(Duration.ofMinutes(2), () -> ElasticsearchDocuments.documents(index).size() == 2,
                        () -> "documents: " + ElasticsearchDocuments.documents(index).keySet(), job);
                TestDatabases.mysql(db, "UPDATE customer SET name = 'Ada L.' WHERE id = 1");
                await(Duration.ofMinutes(1), () -> ElasticsearchDocuments.documents(index).get("1").path("name").asText()
                        .equals("Ada L."), () -> "documents: " + ElasticsearchDocuments.documents(index), job);
                Map<String, JsonNode> docs = ElasticsearchDocuments.documents(index);
                assertThat(docs.get("2").path("name").asText()).isEqualTo("Grace");
            }
        }
    }
}
