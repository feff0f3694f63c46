package io.tapflow.cli.command;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The password of {@code --password} given without a value: asked for without echo on a terminal, else read as the
 * first line of standard input (so that {@code printf '%s\n' "$PW" | tapflow datasource add ...} works). An empty
 * one is refused: {@code echo | tapflow ...} or a closed standard input would otherwise save an empty password.
 */
final class PasswordInput {
    /** What picocli gives {@code --password} when it has no value of its own. */
    static final String ASK = "\u0000ask";

    private PasswordInput() {}

    /** The password to save: {@code given}, or the one read as above; never empty. */
    static String resolve(CommandLine commandLine, String given, String datasource) {
        Console console = System.console();
        String password = !ASK.equals(given) ? given : console != null ? typed(console, datasource) : firstLineOfStandardInput();
        if (password == null || password.isEmpty()) {
            String why = !ASK.equals(given) ? "the password given is empty"
                    : console != null ? "no password was typed" : "standard input is not a terminal and gave no password (an empty line or nothing)";
            throw new ParameterException(commandLine, "--password: " + why + "; pipe it in as one line (printf '%s\\n' \"$PW\" | "
                    + "tapflow datasource add ... --password), or use -o 'password=${env:NAME}'; a datasource without a "
                    + "password takes no --password");
        }
        return password;
    }

    private static String typed(Console console, String datasource) {
        char[] chars = console.readPassword("password for datasource '%s': ", datasource);
        return chars == null ? null : new String(chars);
    }

    /** One line, without closing standard input; a trailing carriage return (a Windows editor's file) is dropped. */
    private static String firstLineOfStandardInput() {
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return line == null ? null : line.replaceAll("\r$", "");
        } catch (IOException e) {
            throw new UncheckedIOException("reading the password from standard input failed", e);
        }
    }
}
