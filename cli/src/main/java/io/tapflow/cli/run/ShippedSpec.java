package io.tapflow.cli.run;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DefinitionJson;
import io.tapflow.dsl.JobSpec;
import io.tapflow.dsl.TapflowException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON of a job spec as it is shipped to a cluster, as a job argument. Flink shows job arguments in its dashboard
 * and REST API, so a spec with a literal secret is refused: secrets travel as {@code ${env:NAME}} references, which the
 * job resolves from the JobManager's environment.
 */
public final class ShippedSpec {
    private ShippedSpec() {}

    public static String json(JobSpec spec) {
        List<String> literal = new ArrayList<>();
        for (DataSource ds : spec.datasources()) {
            Map<String, String> masked = ds.maskedOptions();
            ds.options().forEach((key, value) -> {
                if (!value.isEmpty() && !value.equals(masked.get(key))) {
                    literal.add("datasource '" + ds.name() + "' option '" + key + "'");
                }
            });
        }
        if (!literal.isEmpty()) {
            throw new TapflowException("cannot submit pipeline '" + spec.pipeline().name() + "' to a Flink cluster: "
                    + String.join(", ", literal) + " hold(s) a literal secret, and job arguments are visible in the Flink "
                    + "dashboard. Store a reference instead (tapflow datasource add ... --replace -o 'password=${env:NAME}') "
                    + "and set NAME in the environment of the Flink JobManager (for the local cluster: the environment of "
                    + "'tapflow cluster start')");
        }
        return DefinitionJson.toJson(spec);
    }
}
