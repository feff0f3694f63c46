package io.tapflow.flink.job;

import io.tapflow.dsl.DataSource;
import io.tapflow.flink.connector.ConnectorFactories;
import io.tapflow.flink.event.ChangeEvent;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.operators.coordination.OperatorCoordinator;
import org.apache.flink.streaming.api.operators.CoordinatedOperatorFactory;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;

/** Makes the {@link SchemaChangeBarrier} operators and their {@link SchemaChangeCoordinator}. */
final class SchemaChangeBarrierFactory extends SimpleOperatorFactory<ChangeEvent>
        implements CoordinatedOperatorFactory<ChangeEvent>, OneInputStreamOperatorFactory<ChangeEvent, ChangeEvent> {
    private static final long serialVersionUID = 1L;
    private final DataSource target;

    /** @param target the resolved target datasource, in which the coordinator makes the changes */
    SchemaChangeBarrierFactory(DataSource target) {
        super(new SchemaChangeBarrier(ConnectorFactories.sink(target.type()).writesTruncate()));
        this.target = target;
    }

    @Override
    public OperatorCoordinator.Provider getCoordinatorProvider(String operatorName, OperatorID operatorId) {
        return new SchemaChangeCoordinator.Provider(operatorId, target);
    }
}
