package io.tapflow.flink.job;

import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.Step;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.event.ChangeEventTypeInfo;
import io.tapflow.flink.step.AddFieldFunction;
import io.tapflow.flink.schema.TargetTableLookup;
import io.tapflow.flink.step.PlannedColumnsStep;
import io.tapflow.flink.step.RowSteps;
import io.tapflow.flink.step.StepOperator;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.OutputTag;

/**
 * Builds the operator of one step, uid {@code step/<step id>}. Steps that can fail on a row run inside a
 * {@link StepOperator}, which applies the pipeline's error policy; dead letters go to {@link #DEAD_LETTERS}.
 */
final class StepTranslator {
    static final OutputTag<ChangeEvent> DEAD_LETTERS = new OutputTag<>("dead-letters", ChangeEventTypeInfo.INSTANCE);

    private final Pipeline pipeline;
    private final int parallelism;
    private final String uidPrefix;

    StepTranslator(Pipeline pipeline, int parallelism) {
        this(pipeline, parallelism, "");
    }

    /** @param uidPrefix before each operator's uid, for steps of looked-up rows (whose ids may repeat the pipeline's) */
    StepTranslator(Pipeline pipeline, int parallelism, String uidPrefix) {
        this.pipeline = pipeline;
        this.parallelism = parallelism;
        this.uidPrefix = uidPrefix;
    }

    /** The stream after the step; null for steps that only change the plan (table renames). */
    SingleOutputStreamOperator<ChangeEvent> translate(DataStream<ChangeEvent> stream, Step step) {
        if (step instanceof Step.RenameTables) {
            return null;
        }
        SingleOutputStreamOperator<ChangeEvent> out;
        if (step instanceof Step.AddField add && !(add.value() instanceof FieldValue.Expression)) {
            out = stream.map(new AddFieldFunction(add), ChangeEventTypeInfo.INSTANCE);
        } else {
            var policy = pipeline.settings().onError();
            out = stream.process(new StepOperator(pipeline.name(), step.id(), RowSteps.of(step, pipeline.settings().udf()),
                    policy, DEAD_LETTERS), ChangeEventTypeInfo.INSTANCE);
        }
        return out.uid(uidPrefix + "step/" + step.id()).name(uidPrefix + step.id()).setParallelism(parallelism);
    }

    /**
     * After UDFs, which may add fields planning cannot see, rows bound for a target with fixed columns are checked
     * against them; null when no check is needed.
     */
    SingleOutputStreamOperator<ChangeEvent> checkPlannedColumns(DataStream<ChangeEvent> stream, TargetTableLookup tables,
                                                                boolean targetAcceptsUnplannedFields) {
        if (!RowSteps.hasUdf(pipeline.steps()) || targetAcceptsUnplannedFields) {
            return null;
        }
        String id = "planned-columns";
        return stream.process(new StepOperator(pipeline.name(), id, new PlannedColumnsStep(tables), pipeline.settings().onError(),
                        DEAD_LETTERS), ChangeEventTypeInfo.INSTANCE)
                .uid("step/" + id).name(id).setParallelism(parallelism);
    }
}
