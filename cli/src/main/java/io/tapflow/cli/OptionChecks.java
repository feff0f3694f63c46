package io.tapflow.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Range checks of numeric options, made before a command starts anything; a bad value is a usage error (exit 2). */
public final class OptionChecks {
    private OptionChecks() {}

    /** {@code --web-port}: -1 (no dashboard) or a TCP port. */
    public static void webPort(CommandSpec spec, int port) {
        if (port != -1 && (port < 1 || port > 65535)) {
            throw new ParameterException(spec.commandLine(), "--web-port must be -1 (no dashboard) or a port from 1 to 65535, got " + port);
        }
    }

    /** {@code --web-port} once a command is about to start a job: the port must be free now. */
    public static void webPortFree(CommandSpec spec, int port) {
        if (port != -1 && !free(port)) {
            // Flink would only say "Could not create the DispatcherResourceManagerComponent", after servers started.
            throw new ParameterException(spec.commandLine(), "--web-port " + port + ": the port is in use on 127.0.0.1 (another "
                    + "tapflow run or quickstart, or a Flink cluster?); choose another port, or -1 for no dashboard");
        }
    }

    private static boolean free(int port) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
            socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** A count or duration option that must be at least {@code min}. */
    public static void atLeast(CommandSpec spec, String option, long value, long min) {
        if (value < min) {
            throw new ParameterException(spec.commandLine(), option + " must be at least " + min + ", got " + value);
        }
    }
}
