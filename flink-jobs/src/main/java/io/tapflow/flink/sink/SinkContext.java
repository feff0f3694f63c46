package io.tapflow.flink.sink;

import io.tapflow.flink.schema.NewTables;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.ErrorPolicy;
import java.io.Serializable;

/**
 * What a target may need to know of the pipeline it serves: its name (Kafka's default topic names hold it), and the
 * error policy with its resolved dead-letter datasource (null unless the policy is dead_letter), for rows the target
 * itself refuses; its schema-change policies (a column added in the source while the job was stopped); and what
 * plans the target tables of source tables created while the job runs (null when the pipeline names its tables).
 */
public record SinkContext(String pipelineName, ErrorPolicy onError, DataSource deadLetterTarget,
                          io.tapflow.dsl.SchemaChangeRules schemaChanges, NewTables newTables) implements Serializable {
    private static final long serialVersionUID = 1L;

    public SinkContext {
        schemaChanges = schemaChanges == null ? io.tapflow.dsl.SchemaChangeRules.of(io.tapflow.dsl.SchemaChangePolicy.LENIENT) : schemaChanges;
    }

    /** For a pipeline that names its tables (no tables created while it runs to follow). */
    public SinkContext(String pipelineName, ErrorPolicy onError, DataSource deadLetterTarget,
                       io.tapflow.dsl.SchemaChangeRules schemaChanges) {
        this(pipelineName, onError, deadLetterTarget, schemaChanges, null);
    }

    /** With the default schema-change policy. */
    public SinkContext(String pipelineName, ErrorPolicy onError, DataSource deadLetterTarget) {
        this(pipelineName, onError, deadLetterTarget, null, null);
    }
}
