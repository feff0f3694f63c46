package io.tapflow.flink.job;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.Step;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.connector.SourceFactory;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.ChangeEventTypeInfo;
import io.tapflow.flink.lookup.AfterTruncateSent;
import io.tapflow.flink.metrics.SourceProgress;
import io.tapflow.flink.sink.RowKey;
import io.tapflow.flink.sink.SinkContext;
import io.tapflow.flink.sink.SinkOptions;
import io.tapflow.flink.step.DeadLetters;
import io.tapflow.flink.verify.VerifySampler;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetSchemaChanges;
import io.tapflow.flink.schema.TargetTable;
import io.tapflow.flink.schema.TargetTableLookup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Builds the Flink job for a plan: sources → steps → sink (and failed rows → dead-letter sink, and with
 * {@code verify.sample-per-second} a sampler beside the sink; where {@link SnapshotForwarding} allows, snapshot rows
 * to a sink of their own in the task that read them). Operator uids come from the definition ("source",
 * "source/&lt;datasource&gt;", "step/&lt;step id&gt;", "table-events" (a Kafka source's TRUNCATEs), "sink", "snapshot-sink", "dead-letter-sink", "verify-sampler" and
 * "schema-change-barrier", which keep no state), so a savepoint still matches after the pipeline is edited.
 */
public final class JobTranslator {
    private JobTranslator() {}

    public static void translate(StreamExecutionEnvironment env, JobPlan plan, SinkOptions sinkOptions) {
        if (ConnectorFactories.sink(plan.target().type()).deliversExactlyOnce(plan.target())) {
            FlinkJobConfig.alignCheckpoints(env);
        }
        int parallelism = plan.pipeline().settings().parallelism();
        PatternTables newTables = PatternTables.of(plan);
        List<DataStream<ChangeEvent>> deadLetters = new ArrayList<>();
        DataStream<ChangeEvent> stream = translateSources(env, plan, newTables, parallelism, deadLetters);
        stream = translateSteps(stream, plan, newTables, parallelism, deadLetters);
        if (plan.deadLetterTarget() != null && !deadLetters.isEmpty()) {
            sinkDeadLetters(deadLetters, plan, sinkOptions, parallelism);
        }
        SinkContext context = new SinkContext(plan.pipeline().name(), plan.pipeline().settings().onError(), plan.deadLetterTarget(),
                plan.pipeline().settings().schemaChangeRules(), newTables);
        if (SnapshotForwarding.applies(plan, parallelism)) {
            // Snapshot rows go to a sink chained in the task that read them (no exchange, no serialization); only
            // changes, which start after a checkpoint that covers every snapshot row, take the keyed exchange below.
            SingleOutputStreamOperator<ChangeEvent> changes = stream.process(new SnapshotRowsSplit(), ChangeEventTypeInfo.INSTANCE)
                    .uid("split-snapshot-rows").name("split snapshot rows").setParallelism(parallelism);
            changes.getSideOutput(SnapshotRowsSplit.SNAPSHOT_ROWS)
                    .sinkTo(ConnectorFactories.sink(plan.target().type()).createSnapshotRowsSink(plan.target(), plan.targetTables(),
                            sinkOptions, context))
                    .uid("snapshot-sink").name("sink: " + plan.target().name() + " (snapshot rows)").setParallelism(parallelism);
            stream = changes;
        }
        if (parallelism > 1 || ConnectorFactories.sink(plan.target().type()).writesEachChange()) {
            // Where events cross task boundaries (the keyed exchange below), they go in the plan's compact form.
            stream = stream.flatMap(new KeyMoveSplitter(new TargetTableLookup(plan.targetTables(), newTables)), ChangeEventTypeInfo.of(PlannedLayouts.of(plan)))
                    .uid("split-key-moves").name("split key moves").setParallelism(parallelism);
        }
        DataStream<ChangeEvent> toSink = stream;
        if (parallelism > 1) {
            // Changes to one key must reach the sink in order: route them by key to one sink subtask.
            stream = stream.keyBy(new TargetKeySelector(new TargetTableLookup(plan.targetTables(), newTables)));
            toSink = stream;
            if (SchemaChangeBarrier.needed(ConnectorFactories.sink(plan.target().type()), plan.pipeline().settings().schemaChangeRules())) {
                // A target column is dropped or renamed, and a target table emptied, once every sink subtask has
                // written the rows before it.
                toSink = stream.transform("schema changes in order", ChangeEventTypeInfo.of(PlannedLayouts.of(plan)),
                                new SchemaChangeBarrierFactory(plan.target()))
                        .uid(SinkTruncateWait.BARRIER_UID).setParallelism(parallelism);
            }
        }
        int samplePerSecond = plan.pipeline().settings().verifySamplePerSecond();
        if (samplePerSecond > 0) {
            // Beside the sink, on the stream it gets: at parallelism > 1 each key's changes reach one sampler subtask.
            stream.flatMap(new VerifySampler(plan, samplePerSecond), Types.VOID)
                    .uid("verify-sampler").name("verify sampler").setParallelism(parallelism);
        }
        toSink.sinkTo(ConnectorFactories.sink(plan.target().type()).createSink(plan.target(), plan.targetTables(), sinkOptions, context))
                .uid("sink").name("sink: " + plan.target().name()).setParallelism(parallelism);
    }

    /**
     * One source operator per source datasource, unioned before the steps. The first source keeps the uids of a
     * single-source pipeline ("source", "source-progress"), so adding a datasource to a union keeps a savepoint's
     * positions of the first one; the others get "source/&lt;datasource&gt;" and "source-progress/&lt;datasource&gt;".
     */
    private static DataStream<ChangeEvent> translateSources(StreamExecutionEnvironment env, JobPlan plan, PatternTables newTables,
                                                            int parallelism, List<DataStream<ChangeEvent>> deadLetters) {
        List<JobPlan.Source> sources = withLookupTables(plan);
        boolean union = sources.size() > 1;
        DataStream<ChangeEvent> all = null;
        for (JobPlan.Source source : sources) {
            DataSource ds = source.datasource();
            String uidSuffix = all == null ? "" : "/" + ds.name();
            String tables = source.tables().tables().stream().map(TableSchema::table).collect(Collectors.joining(","));
            SourceFactory factory = ConnectorFactories.source(ds.type());
            Source<ChangeEvent, ?, ?> reader = source.query() != null
                    ? factory.createQuerySource(ds, source.tables().tables().get(0), source.query())
                    : factory.createSource(ds, source.tables(), plan.pipeline().target().key(),
                            plan.pipeline().sourceResourceName(ds.name()), parallelism, plan.pipeline().settings().onError());
            DataStream<ChangeEvent> read = env.fromSource(reader, WatermarkStrategy.noWatermarks(),
                            (source.query() != null ? "query: " : "source: ") + ds.name() + " " + tables, ChangeEventTypeInfo.INSTANCE)
                    .uid("source" + uidSuffix).setParallelism(parallelism);
            if (factory.emitsDeadLetters()) {
                SingleOutputStreamOperator<ChangeEvent> split = read.process(new DeadLetterSplit(), ChangeEventTypeInfo.INSTANCE)
                        .uid("source-dead-letters" + uidSuffix).name("source dead letters").setParallelism(parallelism);
                deadLetters.add(split.getSideOutput(StepTranslator.DEAD_LETTERS));
                read = split;
            }
            if (factory.followsSchemaChanges() && source.query() == null) {
                // Looked-up tables are followed apart: their rows are embedded, not written to a table of their own.
                Map<Boolean, List<TableSchema>> written = source.tables().tables().stream().collect(Collectors.partitioningBy(
                        t -> plan.targetTables().stream().anyMatch(target -> target.sourceTable().equals(t.qualifiedName()))));
                read = read.transform("schema changes" + (union ? " " + ds.name() : ""), ChangeEventTypeInfo.INSTANCE,
                                new SchemaChangeFollowerOperator(new SchemaChangeFollower(plan.pipeline(), ds, written.get(true),
                                        plan.targetTables(), plan.target(), newTables, SchemaChangeFollower.sharedTargets(plan),
                                        new LookedUpTableFollower(plan, ds, written.get(false)))))
                        .uid("schema-changes" + uidSuffix).setParallelism(parallelism);
            } else if (factory.readsTruncates() && source.query() == null) {
                read = read.process(new TableEventFollower(plan.pipeline(), source.tables().tables().stream()
                                .filter(t -> plan.targetTables().stream().anyMatch(target -> target.sourceTable().equals(t.qualifiedName())))
                                .toList(), plan.targetTables(), plan.target(), SchemaChangeFollower.sharedTargets(plan)),
                                ChangeEventTypeInfo.INSTANCE)
                        .uid("table-events" + uidSuffix).name("table events" + (union ? " " + ds.name() : "")).setParallelism(parallelism);
            }
            DataStream<ChangeEvent> one = read
                    // Compact from here: a lookup's or a parallel job's first exchange follows.
                    .map(new SourceProgress(ds.name(), union), ChangeEventTypeInfo.of(PlannedLayouts.of(plan)))
                    .uid("source-progress" + uidSuffix).name("source progress" + (union ? " " + ds.name() : ""))
                    .setParallelism(parallelism);
            all = all == null ? one : all.union(one);
        }
        return all;
    }

    /**
     * The sources to read: the pipeline's, each also reading the looked-up tables of its datasource (one reader per
     * database, one consistent change stream), then a source for each other datasource that lookups read.
     */
    private static List<JobPlan.Source> withLookupTables(JobPlan plan) {
        List<JobPlan.Source> sources = new ArrayList<>();
        List<JobPlan.Source> lookups = new ArrayList<>(plan.lookupSources());
        for (JobPlan.Source source : plan.sources()) {
            JobPlan.Source extra = lookups.stream().filter(l -> l.datasource().name().equals(source.datasource().name()))
                    .findFirst().orElse(null);
            if (extra == null || source.query() != null) {
                sources.add(source);
                continue;
            }
            lookups.remove(extra);
            // Looked-up tables first: their snapshot rows then wait in the lookup state for their parents, and each
            // parent is written once with its rows rather than once more per looked-up row that comes after it.
            List<TableSchema> tables = new ArrayList<>(extra.tables().tables().stream()
                    .filter(t -> source.tables().tables().stream().noneMatch(s -> s.qualifiedName().equals(t.qualifiedName())))
                    .toList());
            tables.addAll(source.tables().tables());
            io.tapflow.flink.connector.SourceTables read = source.tables();
            sources.add(new JobPlan.Source(source.datasource(), new io.tapflow.flink.connector.SourceTables(tables,
                    read.serverTimeZone(), read.newTablePatterns(), read.newTablesLimit())));
        }
        sources.addAll(lookups);
        return sources;
    }

    /** The steps' operators in order, then the planned-columns check where needed; failed rows to the dead letters. */
    private static DataStream<ChangeEvent> translateSteps(DataStream<ChangeEvent> allRows, JobPlan plan, PatternTables newTables,
                                                          int parallelism, List<DataStream<ChangeEvent>> deadLetters) {
        StepTranslator steps = new StepTranslator(plan.pipeline(), parallelism);
        List<SingleOutputStreamOperator<ChangeEvent>> operators = new ArrayList<>();
        LookupTranslator lookups = new LookupTranslator(plan, allRows, parallelism, operators);
        DataStream<ChangeEvent> stream = LookupTranslator.pipelineRows(allRows, plan, parallelism);
        boolean keyedByRow = false;
        Step lastLookup = plan.pipeline().steps().stream().filter(s -> s instanceof Step.Lookup).reduce((a, b) -> b).orElse(null);
        for (Step step : plan.pipeline().steps()) {
            if (step instanceof Step.Lookup lookup) {
                stream = lookups.translate(stream, lookup, "", keyedByRow, step == lastLookup ? afterTruncateSent(plan, parallelism) : null);
                keyedByRow = true;
                continue;
            }
            SingleOutputStreamOperator<ChangeEvent> next = steps.translate(stream, step);
            if (next != null) {
                keyedByRow = false;
                operators.add(next);
                stream = next;
            }
        }
        SingleOutputStreamOperator<ChangeEvent> check = steps.checkPlannedColumns(stream, new TargetTableLookup(plan.targetTables(), newTables),
                ConnectorFactories.sink(plan.target().type()).acceptsUnplannedFields());
        if (check != null) {
            operators.add(check);
            stream = check;
        }
        operators.forEach(op -> deadLetters.add(op.getSideOutput(StepTranslator.DEAD_LETTERS)));
        return stream;
    }

    /**
     * What the last gate of the pipeline's lookups does once it sent a TRUNCATE of the pipeline's table on: where
     * parallel sinks empty the target behind a barrier, wait for it (null: nothing).
     */
    private static AfterTruncateSent afterTruncateSent(JobPlan plan, int parallelism) {
        return parallelism > 1 && SchemaChangeBarrier.needed(ConnectorFactories.sink(plan.target().type()),
                plan.pipeline().settings().schemaChangeRules()) ? new SinkTruncateWait(parallelism) : null;
    }

    /** The rows every step (and a source that meets unreadable input) sent to its dead-letter output, into the table. */
    private static void sinkDeadLetters(List<DataStream<ChangeEvent>> outputs, JobPlan plan, SinkOptions sinkOptions,
                                        int parallelism) {
        DataStream<ChangeEvent> deadLetters = outputs.get(0);
        for (DataStream<ChangeEvent> output : outputs.subList(1, outputs.size())) {
            deadLetters = deadLetters.union(output);
        }
        TargetTable table = DeadLetters.table(plan.pipeline().settings().onError().deadLetter().table());
        deadLetters.sinkTo(ConnectorFactories.sink(plan.deadLetterTarget().type())
                        .createSink(plan.deadLetterTarget(), List.of(table), sinkOptions))
                .uid("dead-letter-sink").name("dead letters: " + plan.deadLetterTarget().name() + "." + table.name())
                .setParallelism(parallelism);
    }

    /**
     * The target table and key of an event, as a string so Flink can hash it without Kryo. Routing by target rather
     * than source table sends the changes of one target row to one sink subtask even when several source tables (or
     * datasources) write it, so the change that arrives last is the one the row keeps.
     */
    private static final class TargetKeySelector implements KeySelector<ChangeEvent, String> {
        private static final long serialVersionUID = 1L;
        private final TargetTableLookup targets;

        TargetKeySelector(TargetTableLookup targets) {
            this.targets = targets;
        }

        @Override
        public String getKey(ChangeEvent event) {
            if (TargetSchemaChanges.inOrder(event)) {
                // KeyMoveSplitter made a copy of the change for each sink subtask, with a key routed to it.
                return TargetSchemaChanges.routeKey(event);
            }
            // KeyMoveSplitter has turned updates that move a key into a delete and an insert, so one key suffices.
            TargetTable table = targets.of(event.table());
            return table.name() + "/" + RowKey.of(table.keyFields(), event.latestRow(), event.table());
        }
    }
}
