package io.tapflow.cli.shell;

import io.tapflow.cli.ErrorMessages;
import io.tapflow.cli.TapflowCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tapflow shell}: the interactive {@code tap>} prompt with line editing, history in
 * {@code $TAPFLOW_HOME/shell_history} (owner-only, secrets masked) and tab completion. Each command runs on its own
 * thread so that Ctrl-C can end it (a running monitor, say) and return to the prompt; Ctrl-D, exit or quit leave.
 * Piped stdin works the same.
 * Python statements share one context for the whole session, closed when the shell ends.
 */
@Command(name = "shell", description = "The interactive tap> shell: browse datasources, manage jobs, type Python DSL.")
public final class ShellCommand implements Callable<Integer> {
    static final String PROMPT = "tap> ";
    static final String CONTINUATION = "...> ";
    /** How long a command stopped with Ctrl-C may take to end before the prompt comes back without it. */
    private static final long STOP_WAIT_SECONDS = 15;
    @ParentCommand TapflowCli root;

    @Override
    public Integer call() throws IOException, InterruptedException {
        // dumb(true): with stdin piped there is no terminal, and a plain one is then the right thing, without a warning.
        try (Terminal terminal = TerminalBuilder.builder().dumb(true).build();
             ShellCommands commands = new ShellCommands(terminal.writer(), root.verbose)) {
            PrintWriter out = terminal.writer();
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).completer(new ShellCompleter(commands))
                    .parser(ShellCompleter.parser())
                    .variable(LineReader.HISTORY_FILE, ShellHistory.file()).history(new ShellHistory(ShellHistory.file()))
                    // Python blocks are typed with their indentation; never let a tab complete into them.
                    .option(LineReader.Option.INSERT_TAB, true)
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true).build();
            ExecutorService worker = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "tapflow-shell-command");
                t.setDaemon(true);
                return t;
            });
            AtomicReference<Future<Boolean>> running = new AtomicReference<>();
            terminal.handle(Terminal.Signal.INT, signal -> {
                Future<Boolean> f = running.get();
                if (f != null) {
                    f.cancel(true);
                }
            });
            try {
                String line;
                while ((line = readStatement(reader)) != null) {
                    String statement = line;
                    CountDownLatch ended = new CountDownLatch(1);
                    Future<Boolean> f = worker.submit(() -> {
                        try {
                            return commands.execute(statement);
                        } finally {
                            ended.countDown();
                        }
                    });
                    running.set(f);
                    if (!await(f, ended, out)) {
                        break;
                    }
                }
            } finally {
                worker.shutdownNow();
                reader.getHistory().save();
            }
            return 0;
        }
    }

    /** One statement: a line, or the lines of a Python statement or block (see {@link ShellStatements}); null at Ctrl-D. */
    private static String readStatement(LineReader reader) {
        ShellStatements statements = new ShellStatements();
        while (true) {
            String line;
            try {
                line = reader.readLine(statements.pending() ? CONTINUATION : PROMPT);
            } catch (UserInterruptException e) {
                statements.reset(); // Ctrl-C at the prompt drops the statement being typed, as in a Unix shell
                continue;
            } catch (EndOfFileException e) {
                return statements.end();
            }
            String statement = statements.add(line);
            if (statement != null) {
                return statement;
            }
        }
    }

    /**
     * Waits for a command; false when it asked to leave the shell. Ctrl-C ends only the command, and the prompt comes
     * back once it has ended (a query cancelled in the database, say), so that its last words come before the prompt.
     */
    private static boolean await(Future<Boolean> f, CountDownLatch ended, PrintWriter out) throws InterruptedException {
        try {
            return f.get();
        } catch (CancellationException e) {
            boolean stopped = ended.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            out.println();
            out.println(stopped ? "cancelled" : "cancelled; the command is still ending in the background");
            out.flush();
            return true;
        } catch (ExecutionException e) {
            out.println("error: " + ErrorMessages.of(e.getCause()));
            out.flush();
            return true;
        }
    }
}
