package io.tapflow.benchmarks;

import io.tapflow.dsl.Step;
import io.tapflow.dsl.UdfLimits;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.Op;
import io.tapflow.flink.step.RowImageStep;
import io.tapflow.flink.step.RowStep;
import io.tapflow.flink.step.RowTransforms;
import io.tapflow.flink.step.UdfStep;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.util.Collector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Rows per second through one step, on a 10-field row: a step that changes nothing (the cost of the operator without
 * a UDF), a trivial JavaScript UDF, and a trivial Python UDF ({@code return record}). Run with
 * {@code java -cp ... org.openjdk.jmh.Main UdfStepJmh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class UdfStepJmh {
    @Param({"none", "js", "python"})
    public String udf;

    private RowStep step;
    private ChangeEvent event;
    private Blackhole blackhole;

    @Setup(Level.Trial)
    public void setUp(Blackhole bh) {
        blackhole = bh;
        UdfLimits limits = new UdfLimits(5_000, false);
        step = switch (udf) {
            case "none" -> new RowImageStep(RowTransforms.of(new Step.ExcludeFields(List.of("not_a_field"))));
            case "js" -> new UdfStep(new Step.JsUdf("return record;"), limits);
            case "python" -> new UdfStep(new Step.PyUdf("def f(record):\n    return record\n", "f"), limits);
            default -> throw new IllegalArgumentException("udf is none, js or python, got " + udf);
        };
        step.open();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", 42L);
        row.put("first_name", "Chiara");
        row.put("last_name", "Castellanos");
        row.put("email", "chiara.castellanos@example.com");
        row.put("balance", new BigDecimal("1234.56"));
        row.put("score", 0.75);
        row.put("status", "active");
        row.put("created", LocalDateTime.of(2024, 5, 1, 12, 30));
        row.put("last_login", Instant.parse("2024-06-01T08:00:00Z"));
        row.put("note", "Lorem ipsum dolor sit amet");
        event = new ChangeEvent(Op.READ, "bench.bench", Map.of("id", 42L), null, row, 0L);
    }

    @Benchmark
    public void rowThroughStep() {
        step.apply(event, new Collector<>() {
            @Override
            public void collect(ChangeEvent record) {
                blackhole.consume(record);
            }

            @Override
            public void close() {}
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        step.close();
    }
}
