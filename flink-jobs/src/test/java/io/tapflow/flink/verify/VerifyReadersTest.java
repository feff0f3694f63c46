package io.tapflow.flink.verify;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.connector.SourceTables;
import io.tapflow.flink.job.JobPlan;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sampling needs a reader for every source and the target, and no Kafka target: said before anything is created. */
class VerifyReadersTest {
    private final DataSource kafka = DataSource.of("kafka", "events").option("bootstrap-servers", "localhost:9092");
    private final DataSource mysql = DataSource.of("mariadb", "shop").host("h").username("u").database("d");
    private final DataSource es = DataSource.of("es", "search").option("hosts", "http://localhost:9200");

    @Test
    void sourcesAndTargetsWithoutAReaderCannotBeSampled() {
        assertThatThrownBy(() -> VerifyReaders.checkSampling(plan(kafka, es), "sampling"))
                .isInstanceOf(TapflowException.class)
                .hasMessage("sampling: tapflow verify cannot read datasource 'events' (kafka) as a source yet; "
                        + "it reads sources of type mysql, postgres");
        assertThatThrownBy(() -> VerifyReaders.checkSampling(plan(mysql, kafka), "sampling"))
                .isInstanceOf(TapflowException.class)
                .hasMessageStartingWith("sampling: a Kafka target is verified by reading its topics whole");
        assertThatCode(() -> VerifyReaders.checkSampling(plan(mysql, es), "sampling")).doesNotThrowAnyException();
    }

    private static JobPlan plan(DataSource source, DataSource target) {
        return new JobPlan(Pipeline.named("p"), List.of(new JobPlan.Source(source, new SourceTables(List.of(), ZoneOffset.UTC))),
                target, List.of(), List.of(), null);
    }
}
