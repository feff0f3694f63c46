package io.tapflow.flink.job;

import io.tapflow.dsl.FieldValue;
import io.tapflow.dsl.Pipeline;
import io.tapflow.dsl.Step;
import io.tapflow.flink.step.UdfStep;
import io.tapflow.udf.GuestCodeException;
import io.tapflow.udf.GuestFunction;
import java.util.ArrayList;
import java.util.List;

/** Compiles every piece of guest code of a pipeline once before the job starts, so a syntax error never reaches Flink. */
final class GuestCodeChecks {
    private GuestCodeChecks() {}

    static List<String> problems(Pipeline pipeline) {
        List<String> problems = new ArrayList<>();
        var limits = pipeline.settings().udf();
        for (Step step : pipeline.steps()) {
            GuestFunction compiled = null;
            try {
                if (step instanceof Step.JsUdf || step instanceof Step.PyUdf) {
                    compiled = UdfStep.compile(step, limits);
                } else if (step instanceof Step.Filter f) {
                    compiled = GuestFunction.javaScriptExpression(step.id(), f.expression(), true, limits);
                } else if (step instanceof Step.AddField add && add.value() instanceof FieldValue.Expression e) {
                    compiled = GuestFunction.javaScriptExpression(step.id(), e.expression(), false, limits);
                }
            } catch (GuestCodeException e) {
                problems.add(e.getMessage());
            } finally {
                if (compiled != null) {
                    compiled.close();
                }
            }
        }
        return problems;
    }
}
