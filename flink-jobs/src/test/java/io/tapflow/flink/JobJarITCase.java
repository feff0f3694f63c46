package io.tapflow.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DefinitionJson;
import io.tapflow.dsl.JobSpec;
import io.tapflow.flink.job.PipelineJobMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The packaged job jar is a standard Flink application jar (runs after {@code package}), and the deploy/ files agree
 * with it: entry class, arguments, jar path, the mounted spec, the metrics reporter.
 */
class JobJarITCase {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path DEPLOY = Path.of("..", "deploy");

    @Test
    void jobJarIsAFlinkApplicationJarWithoutFlinkInside() throws IOException {
        try (JarFile jar = new JarFile(jobJar().toFile())) {
            Manifest manifest = jar.getManifest();
            assertThat(manifest.getMainAttributes().getValue("Main-Class")).isEqualTo(PipelineJobMain.class.getName());
            assertThat(manifest.getMainAttributes().getValue("Multi-Release")).isEqualTo("true");
            List<String> names = jar.stream().map(e -> e.getName()).toList();
            assertThat(names).as("signatures of merged jars").noneMatch(n -> n.matches("META-INF/[^/]+\\.(SF|DSA|RSA)"));
            // flink-connector-kafka ships classes under org/apache/flink/streaming/connectors (and /util/serialization):
            // connector code the jar must hold; Flink's own API and runtime must not be in it.
            assertThat(names).as("Flink itself is provided by the cluster")
                    .noneMatch(n -> n.startsWith("org/apache/flink/streaming/api/") || n.startsWith("org/apache/flink/streaming/runtime/")
                            || n.startsWith("org/apache/flink/runtime/"));
            assertThat(names).contains("com/mysql/cj/jdbc/Driver.class", "org/postgresql/Driver.class", "io/tapflow/dsl/JobSpec.class");
            String connectors = new String(jar.getInputStream(jar.getEntry("META-INF/services/io.tapflow.flink.connector.ConnectorFactory"))
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertThat(connectors).contains("MySqlConnectorFactory", "PostgresConnectorFactory", "MongoConnectorFactory",
                    "ElasticsearchConnectorFactory", "KafkaConnectorFactory");
            String drivers = new String(jar.getInputStream(jar.getEntry("META-INF/services/java.sql.Driver")).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(drivers).as("merged driver services").contains("com.mysql.cj.jdbc.Driver", "org.postgresql.Driver");
        }
    }

    @Test
    void applicationDeploymentAgreesWithTheJarAndTheImage() throws Exception {
        JsonNode deployment = yaml("k8s/flink-deployment.yaml");
        assertThat(deployment.path("kind").asText()).isEqualTo("FlinkDeployment");
        assertThat(deployment.at("/spec/flinkVersion").asText()).isEqualTo("v1_20");
        JsonNode job = deployment.at("/spec/job");
        assertThat(job.path("entryClass").asText()).isEqualTo(PipelineJobMain.class.getName());
        assertThat(job.path("jarURI").asText()).isEqualTo("local://" + dockerfileJarPath());
        assertSpecArgumentPointsIntoTheConfigMap(job, deployment);
        assertPrometheusReporter(deployment);
    }

    @Test
    void sessionJobAgreesWithTheJarAndItsSessionCluster() throws Exception {
        JsonNode session = yaml("k8s/flink-session-cluster.yaml");
        JsonNode sessionJob = yaml("k8s/flink-session-job.yaml");
        assertThat(sessionJob.path("kind").asText()).isEqualTo("FlinkSessionJob");
        assertThat(session.at("/spec/job").isMissingNode()).as("a session cluster has no job of its own").isTrue();
        assertThat(sessionJob.at("/spec/deploymentName").asText()).isEqualTo(session.at("/metadata/name").asText());
        JsonNode job = sessionJob.at("/spec/job");
        assertThat(job.path("entryClass").asText()).isEqualTo(PipelineJobMain.class.getName());
        assertThat(job.path("jarURI").asText()).matches("https?://.+\\.jar");
        assertSpecArgumentPointsIntoTheConfigMap(job, session);
        assertPrometheusReporter(session);
    }

    /** --pipeline names the ConfigMap's file as mounted, and that file is a valid job spec holding no literal secret. */
    private static void assertSpecArgumentPointsIntoTheConfigMap(JsonNode job, JsonNode podOwner) throws Exception {
        List<String> args = YAML.convertValue(job.path("args"), YAML.getTypeFactory().constructCollectionType(List.class, String.class));
        assertThat(args).hasSize(2).first().isEqualTo("--pipeline");
        JsonNode container = podOwner.at("/spec/podTemplate/spec/containers/0");
        JsonNode mount = container.path("volumeMounts").get(0);
        JsonNode volume = podOwner.at("/spec/podTemplate/spec/volumes/0");
        assertThat(volume.path("name").asText()).isEqualTo(mount.path("name").asText());
        JsonNode configMap = yaml("k8s/pipeline-configmap.yaml");
        assertThat(volume.at("/configMap/name").asText()).isEqualTo(configMap.at("/metadata/name").asText());
        String key = Path.of(args.get(1)).getFileName().toString();
        assertThat(args.get(1)).isEqualTo(mount.path("mountPath").asText() + "/" + key);
        JobSpec spec = DefinitionJson.jobSpec(configMap.at("/data/" + key).asText(), "pipeline-configmap.yaml");
        for (DataSource ds : spec.datasources()) {
            assertThat(ds.maskedOptions()).as("literal secrets in " + ds.name()).isEqualTo(ds.options());
        }
        assertThat(container.path("envFrom").get(0).at("/secretRef/name").asText()).isNotBlank();
    }

    private static void assertPrometheusReporter(JsonNode deployment) throws Exception {
        JsonNode conf = deployment.at("/spec/flinkConfiguration");
        JsonNode standalone = yaml("flink-prometheus.yaml");
        for (var it = standalone.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            assertThat(conf.path(key).asText()).as(key).isEqualTo(standalone.path(key).asText());
        }
        Class.forName(conf.path("metrics.reporter.prom.factory.class").asText());
    }

    private static String dockerfileJarPath() throws IOException {
        Matcher copy = Pattern.compile("(?m)^COPY\\s+(\\S+)\\s+(\\S+)$").matcher(Files.readString(DEPLOY.resolve("Dockerfile")));
        assertThat(copy.find()).as("COPY of the job jar in deploy/Dockerfile").isTrue();
        assertThat(Path.of("..").resolve(copy.group(1)).toAbsolutePath().normalize()).as("the jar the Dockerfile copies")
                .isEqualTo(jobJar().normalize());
        return copy.group(2);
    }

    /** The shaded jar of this build (failsafe passes its path; it runs after 'package'). */
    private static Path jobJar() {
        Path jar = Path.of(System.getProperty("tapflow.job.jar", "(tapflow.job.jar not set)")).toAbsolutePath();
        assertThat(jar).as("the job jar").exists();
        return jar;
    }

    private static JsonNode yaml(String file) throws IOException {
        return YAML.readTree(DEPLOY.resolve(file).toFile());
    }
}
