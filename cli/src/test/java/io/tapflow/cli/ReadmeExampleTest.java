package io.tapflow.cli;

import static io.tapflow.dsl.FieldValue.now;
import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DefinitionJson;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.LocalRunOptions;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.sink.SinkOptions;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The README's Java example compiles as written, and its JSON example is the JSON form of the same pipeline. */
class ReadmeExampleTest {

    @Test
    void javaExampleValidatesAndMatchesTheJsonExample() {
        DataSource mysql = DataSource.of("mysql", "demo-mysql")
                .host("localhost").port(3306).username("cdc").password("${env:MYSQL_PASSWORD}").database("demo");
        DataSource mongo = DataSource.of("mongodb", "demo-mongo").uri("mongodb://localhost:27017").database("demo");

        Pipeline pipeline = Pipeline.named("demo-job")
                .readFrom(mysql.table("customer"))
                .addField("updated", now())
                .writeTo(mongo.table("customer_v1"));

        JobSpec job = JobSpec.of(pipeline, mysql, mongo);
        // Starting needs real servers; here it is only compiled, exactly as the README shows it.
        Supplier<RunningPipeline> start = () -> LocalPipelineRunner.start(JobPlanner.plan(job),
                new LocalRunOptions(Path.of("checkpoints"), 8081, null, SinkOptions.DEFAULTS));
        assertThat(start).isNotNull();
        assertThat(job.datasources()).containsExactly(mysql, mongo);

        String readmeJson = "{\n"
                + "  \"name\" : \"demo-job\",\n"
                + "  \"sources\" : [ { \"datasource\" : \"demo-mysql\", \"tables\" : [ \"customer\" ] } ],\n"
                + "  \"steps\" : [ { \"type\" : \"add_field\", \"field\" : \"updated\", \"value\" : { \"kind\" : \"processing_time\" } } ],\n"
                + "  \"target\" : { \"datasource\" : \"demo-pg\", \"table\" : \"customer_v1\", \"key\" : [ ] },\n"
                + "  \"settings\" : { \"parallelism\" : 1, \"checkpointIntervalMs\" : 10000 }\n"
                + "}";
        Pipeline fromJson = DefinitionJson.pipeline(readmeJson, "README.md");
        assertThat(fromJson).isEqualTo(pipeline.writeTo(DataSource.of("postgres", "demo-pg").table("customer_v1")));
    }
}
