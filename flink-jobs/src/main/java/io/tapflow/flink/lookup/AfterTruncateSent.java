package io.tapflow.flink.lookup;

import io.tapflow.flink.event.ChangeEvent;
import java.io.Serializable;
import org.apache.flink.runtime.jobgraph.tasks.TaskOperatorEventGateway;

/**
 * What the last operator of a pipeline's lookups does once it sent a TRUNCATE of the pipeline's table on towards the
 * sink, before any row from after it: at parallelism &gt; 1, wait until the target is emptied.
 */
public interface AfterTruncateSent extends Serializable {
    /** The TRUNCATE as it is sent on (the sink meets one copy from each sending subtask). */
    ChangeEvent sent(ChangeEvent truncate);

    /** Returns once the rows after the TRUNCATE may follow it. */
    void await(ChangeEvent truncate, TaskOperatorEventGateway coordinators) throws Exception;
}
