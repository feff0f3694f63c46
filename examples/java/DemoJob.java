import static io.tapflow.dsl.FieldValue.now;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.job.JobPlanner;
import io.tapflow.flink.job.LocalPipelineRunner;
import io.tapflow.flink.job.LocalRunOptions;
import io.tapflow.flink.job.RunningPipeline;
import io.tapflow.flink.sink.SinkOptions;
import java.nio.file.Path;

/** The README's Java pipeline: MariaDB's customer table into MongoDB, each row stamped with the time it was written. */
public final class DemoJob {
    private DemoJob() {}

    /** The pipeline and its datasources, validated; every problem is reported at once. */
    public static JobSpec job(DataSource mysql, DataSource mongo) {
        Pipeline pipeline = Pipeline.named("demo-job")
                .readFrom(mysql.table("customer"))
                .addField("updated", now())
                .writeTo(mongo.table("customer_v1"));
        return JobSpec.of(pipeline, mysql, mongo);
    }

    public static void main(String[] args) throws Exception {
        DataSource mysql = DataSource.of("mysql", "demo-mysql")
                .host("localhost").port(3306).username("cdc").password("${env:MYSQL_PASSWORD}").database("demo");
        DataSource mongo = DataSource.of("mongodb", "demo-mongo").uri("mongodb://localhost:27017").database("demo");
        RunningPipeline running = LocalPipelineRunner.start(JobPlanner.plan(job(mysql, mongo)),
                new LocalRunOptions(Path.of("checkpoints"), 8081, null, SinkOptions.DEFAULTS));
        running.awaitTermination(); // Ctrl-C stops it
    }
}
