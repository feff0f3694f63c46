package io.tapflow.flink.source.mysql;

import io.tapflow.dsl.TapflowException;
import io.tapflow.flink.event.ChangeEvent;
import io.tapflow.flink.job.JobFailures;
import io.tapflow.flink.source.ForwardingSourceReader;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.cdc.connectors.mysql.source.split.MySqlSplit;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.util.ExceptionUtils;

/**
 * Flink CDC's binlog reader, with one failure told plainly: the binlog position the job resumes from is no longer on
 * the server (purged, or expired, while the job was stopped). Flink CDC reports it as an IllegalStateException, which
 * a restart would only meet again, for ever, under the default restart policy; and no later position may be taken
 * instead, since the changes in between are gone. So it fails the job at once and says what to do.
 */
final class PurgedBinlogReader extends ForwardingSourceReader<MySqlSplit> {
    /** The words of Flink CDC's StatefulTaskContext for a start position the server no longer has. */
    static final String CDC_MESSAGE = "but this is no longer available on the server";

    /** Debezium's offset in that message: {@code ...,file=mysql-bin.000001,pos=2417,...}. */
    private static final Pattern POSITION = Pattern.compile("file=([^,}]+),pos=(\\d+)");

    private final String source;

    /** @param source names the datasource and server, for the message */
    PurgedBinlogReader(SourceReader<ChangeEvent, MySqlSplit> cdc, String source) {
        super(cdc);
        this.source = source;
    }

    @Override
    public InputStatus pollNext(ReaderOutput<ChangeEvent> output) throws Exception {
        try {
            return reader.pollNext(output);
        } catch (Exception e) {
            Optional<Throwable> purged = ExceptionUtils.findThrowableWithMessage(e, CDC_MESSAGE);
            if (purged.isPresent()) {
                JobFailures.failFastIfFatal(purged(source, purged.get().getMessage(), e));
            }
            throw e;
        }
    }

    /** The failure to show for a purged start position; {@code cdcMessage} holds the position. */
    static TapflowException purged(String source, String cdcMessage, Throwable cause) {
        Matcher position = POSITION.matcher(cdcMessage);
        String where = position.find() ? position.group(1) + " at position " + position.group(2) : cdcMessage;
        return new TapflowException("cannot resume reading " + source + ": the binlog it stopped at (" + where
                + ") was purged from the server while the pipeline was stopped, so the changes made since cannot be "
                + "read and none were skipped. Start the pipeline afresh with a new snapshot: tapflow run --fresh "
                + "<pipeline>; keep binlogs (binlog_expire_logs_seconds) longer than a pipeline may stay stopped", cause);
    }
}
