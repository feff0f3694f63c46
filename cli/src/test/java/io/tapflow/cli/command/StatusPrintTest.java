package io.tapflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.cli.flink.JobSnapshot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code tapflow status}/{@code monitor} show the job's sampled verification (lookup state) only when the job samples (has lookups). */
class StatusPrintTest {

    @Test
    void verifySamplesAreShownWhenTheJobReportsThem() {
        assertThat(print(new JobSnapshot.VerifySamples(120, 1)))
                .contains("verify samples (verify.sample-per-second): 120 key(s) checked, 1 mismatched (the job's log names each key)");
        assertThat(print(new JobSnapshot.VerifySamples(7, 0))).contains("7 key(s) checked, 0 mismatched\n");
        assertThat(print(null)).doesNotContain("verify samples");
    }

    @Test
    void lookupStateIsShownWhenTheJobHasLookups() {
        assertThat(print(null, 3_000L)).contains("lookup state: 3000 rows held (parent and looked-up rows, in keyed state)");
        assertThat(print(null, null)).doesNotContain("lookup state");
    }

    private static String print(JobSnapshot.VerifySamples samples) {
        return print(samples, null);
    }

    private static String print(JobSnapshot.VerifySamples samples, Long lookupStateRows) {
        JobSnapshot s = new JobSnapshot("p", "id", "RUNNING", 0, 1_000, 1_000, List.of(), Map.of(), 5, 5, 0, null, null, null,
                null, 0, "ok", null, null, samples, lookupStateRows);
        StringWriter text = new StringWriter();
        StatusCommand.print(new PrintWriter(text, true), s);
        return text.toString().replace(System.lineSeparator(), "\n");
    }
}
