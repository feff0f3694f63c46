package io.tapflow.cli.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapflow.dsl.RestartPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartOutlookTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void exponentialDelaysDoubleUpToTheMaximumAndResetAfterAQuietPeriod() {
        RestartPolicy p = RestartPolicy.exponential(Duration.ofSeconds(1), Duration.ofSeconds(5));
        // Failures at 10,000 and 10,200 join the restart pending until 14,000; 15 min of quiet resets the delay.
        List<Long> failures = List.of(0L, 1_500L, 4_000L, 9_000L, 10_000L, 10_200L, 16_000L, 16_000L + 15 * 60_000L);
        List<Long> starting = new ArrayList<>();
        assertThat(RestartOutlook.delays(p, failures, starting)).containsExactly(1_000L, 2_000L, 4_000L, 5_000L, 5_000L, 1_000L);
        assertThat(starting).doesNotContain(10_000L, 10_200L);
        assertThat(RestartOutlook.delays(RestartPolicy.fixed(3, Duration.ofSeconds(2)), List.of(0L, 5_000L), new ArrayList<>()))
                .containsExactly(2_000L, 2_000L);
    }

    @Test
    void aRestartingJobSaysWhyAndWhenItTriesNext() {
        JsonNode config = config("exponential/1000/60000/0/600000");
        JsonNode exceptions = exceptions(10_000L, 12_000L);
        assertThat(RestartOutlook.of(state("RESTARTING"), config, exceptions, 13_000L)).isEqualTo("waiting to restart (restart 2,"
                + " exponential 1 s → 60 s): next attempt in about 1 s, after: java.net.ConnectException: Connection refused");
        assertThat(RestartOutlook.of(state("RUNNING"), config, exceptions, 13_000L)).isNull();
        assertThat(RestartOutlook.of(state("RESTARTING"), JSON.createObjectNode(), exceptions, 13_000L)).isNull();
        assertThat(RestartOutlook.delaysByFailure(config, exceptions)).containsEntry(10_000L, 1_000L).containsEntry(12_000L, 2_000L);
    }

    private static JsonNode state(String state) {
        return JSON.createObjectNode().put("state", state);
    }

    private static JsonNode config(String parameter) {
        ObjectNode config = JSON.createObjectNode();
        config.putObject("execution-config").putObject("user-config").put(RestartOutlook.PARAMETER, parameter);
        return config;
    }

    /** An exception history, newest first as Flink lists it. */
    private static JsonNode exceptions(long... times) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode entries = root.putObject("exceptionHistory").putArray("entries");
        for (int i = times.length - 1; i >= 0; i--) {
            entries.addObject().put("timestamp", times[i]).put("stacktrace", "org.apache.flink.runtime.JobException: Recovery\n"
                    + "Caused by: java.net.ConnectException: Connection refused\n\tat x.y(Z.java:1)");
        }
        return root;
    }
}
