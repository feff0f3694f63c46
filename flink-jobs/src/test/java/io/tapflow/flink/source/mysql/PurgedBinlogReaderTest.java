package io.tapflow.flink.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PurgedBinlogReaderTest {
    @Test
    void theMessageNamesThePurgedPositionAndWhatToDo() {
        String cdc = "The connector is trying to read binlog starting at Struct{version=1.9.8.Final,connector=mysql,"
                + "name=mysql_binlog_source,ts_ms=1795667013615,db=,server_id=0,file=mysql-bin.000001,pos=2417,row=0}, "
                + PurgedBinlogReader.CDC_MESSAGE + ". Reconfigure the connector to use a snapshot when needed.";
        assertThat(PurgedBinlogReader.purged("the binlog of datasource 'shop' (db:3306)", cdc, null).getMessage())
                .isEqualTo("cannot resume reading the binlog of datasource 'shop' (db:3306): the binlog it stopped at "
                        + "(mysql-bin.000001 at position 2417) was purged from the server while the pipeline was stopped, "
                        + "so the changes made since cannot be read and none were skipped. Start the pipeline afresh "
                        + "with a new snapshot: tapflow run --fresh <pipeline>; keep binlogs (binlog_expire_logs_seconds) "
                        + "longer than a pipeline may stay stopped");
    }
}
