package io.tapflow.cli.run;

import io.tapflow.cli.CliRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.TapflowException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RunLockTest {
    @RegisterExtension
    final CliRun cli = new CliRun();

    @Test
    void aSecondRunIsRefusedNamingThePidOfTheFirst() {
        LocalRun run = LocalRun.of("orders");
        long pid = ProcessHandle.current().pid();
        try (RunLock first = RunLock.acquire(run)) {
            assertThatThrownBy(() -> RunLock.acquire(run)).isInstanceOf(TapflowException.class)
                    .hasMessage("pipeline 'orders' is already running (pid " + pid + "); stop it first");
            assertThat(RunLock.runningPid(run)).hasValue(pid);
        }
        assertThat(RunLock.runningPid(run)).isEmpty();
        RunLock.acquire(run).close();
    }

    @Test
    void theLockFileOfAProcessThatDiedBlocksNothing() throws Exception {
        LocalRun run = LocalRun.of("orders");
        Files.createDirectories(run.lockFile().getParent());
        Files.writeString(run.lockFile(), "999999999");
        assertThat(RunLock.runningPid(run)).isEmpty();
        try (RunLock lock = RunLock.acquire(run)) {
            assertThat(Files.readString(run.lockFile())).isEqualTo(String.valueOf(ProcessHandle.current().pid()));
        }
    }
}
