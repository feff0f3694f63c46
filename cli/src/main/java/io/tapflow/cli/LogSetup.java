package io.tapflow.cli;

/** Sends Flink's and tapflow's logs to $TAPFLOW_HOME/logs/tapflow.log, keeping the terminal for the user's output. */
final class LogSetup {
    private LogSetup() {}

    static void toFileUnderHome() {
        if (System.getProperty("tapflow.log.file") == null) {
            System.setProperty("tapflow.log.file", TapflowHome.path().resolve("logs").resolve("tapflow.log").toString());
        }
        // The binlog client logs through java.util.logging, which would print to the terminal.
        java.util.logging.LogManager.getLogManager().reset();
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.OFF);
    }
}
