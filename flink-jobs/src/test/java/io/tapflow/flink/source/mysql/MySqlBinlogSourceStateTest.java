package io.tapflow.flink.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.flink.source.mysql.snapshot.BinlogPosition;
import java.util.Map;
import org.apache.flink.cdc.connectors.mysql.source.assigners.state.BinlogPendingSplitsState;
import org.apache.flink.cdc.connectors.mysql.source.assigners.state.PendingSplitsStateSerializer;
import org.apache.flink.cdc.connectors.mysql.source.split.MySqlSplitSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class MySqlBinlogSourceStateTest {
    private static final BinlogPosition START = new BinlogPosition("mysql-bin.000042", 1_080_206L);
    private final PendingSplitsStateSerializer cdc = new PendingSplitsStateSerializer(MySqlSplitSerializer.INSTANCE);
    private final MySqlBinlogSource.StateSerializer serializer = new MySqlBinlogSource.StateSerializer(cdc);

    @Test
    void theStartPositionAndItsSchemasTravelWithFlinkCdcsState() throws Exception {
        var state = new MySqlBinlogSource.EnumeratorState(START, Map.of("\"db\".\"t\"", "{\"type\":\"CREATE\"}"),
                new BinlogPendingSplitsState(false));
        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(state))).isEqualTo(state);
        var unknown = new MySqlBinlogSource.EnumeratorState(null, null, new BinlogPendingSplitsState(true));
        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(unknown))).isEqualTo(unknown);
    }

    @Test
    void aCheckpointFromBeforeHoldsFlinkCdcsStateAloneAndStillRestores() throws Exception {
        byte[] old = cdc.serialize(new BinlogPendingSplitsState(true));
        assertThat(serializer.deserialize(cdc.getVersion(), old))
                .isEqualTo(new MySqlBinlogSource.EnumeratorState(null, null, new BinlogPendingSplitsState(true)));
    }

    /** A checkpoint that kept the start position but not yet the schemas there restores without schemas. */
    @Test
    void aCheckpointWithThePositionAloneStillRestores() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeBoolean(true);
        out.writeUTF(START.file());
        out.writeLong(START.position());
        out.writeInt(cdc.getVersion());
        byte[] cdcState = cdc.serialize(new BinlogPendingSplitsState(false));
        out.writeInt(cdcState.length);
        out.write(cdcState);
        assertThat(serializer.deserialize(MySqlBinlogSource.StateSerializer.WITHOUT_SCHEMAS, out.getCopyOfBuffer()))
                .isEqualTo(new MySqlBinlogSource.EnumeratorState(START, null, new BinlogPendingSplitsState(false)));
    }
}
