package io.tapflow.flink.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.flink.source.mysql.snapshot.BinlogPosition;
import org.apache.flink.cdc.connectors.mysql.source.assigners.state.BinlogPendingSplitsState;
import org.apache.flink.cdc.connectors.mysql.source.assigners.state.PendingSplitsStateSerializer;
import org.apache.flink.cdc.connectors.mysql.source.split.MySqlSplitSerializer;
import org.junit.jupiter.api.Test;

class MySqlBinlogSourceStateTest {
    private final PendingSplitsStateSerializer cdc = new PendingSplitsStateSerializer(MySqlSplitSerializer.INSTANCE);
    private final MySqlBinlogSource.StateSerializer serializer = new MySqlBinlogSource.StateSerializer(cdc);

    @Test
    void theStartPositionTravelsWithFlinkCdcsState() throws Exception {
        var state = new MySqlBinlogSource.EnumeratorState(new BinlogPosition("mysql-bin.000042", 1_080_206L),
                new BinlogPendingSplitsState(false));
        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(state))).isEqualTo(state);
        var unknown = new MySqlBinlogSource.EnumeratorState(null, new BinlogPendingSplitsState(true));
        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(unknown))).isEqualTo(unknown);
    }

    @Test
    void aCheckpointFromBeforeHoldsFlinkCdcsStateAloneAndStillRestores() throws Exception {
        byte[] old = cdc.serialize(new BinlogPendingSplitsState(true));
        assertThat(serializer.deserialize(cdc.getVersion(), old))
                .isEqualTo(new MySqlBinlogSource.EnumeratorState(null, new BinlogPendingSplitsState(true)));
    }
}
