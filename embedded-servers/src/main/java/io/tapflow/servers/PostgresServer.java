package io.tapflow.servers;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL server with logical decoding: started from the zonky Maven artifacts, or an external one named by
 * {@value #URL_VARIABLE}.
 */
public final class PostgresServer implements AutoCloseable {

    /** Names an external server as {@code postgresql://user:password@host:port}; the user must be a superuser. */
    public static final String URL_VARIABLE = "TAPFLOW_TEST_POSTGRES_URL";

    private static final String LOOPBACK = "127.0.0.1";
    private static final String SUPERUSER = "postgres";
    // zonky's initdb trusts every local connection, so any password works; this one keeps the triple conventional.
    private static final String SUPERUSER_PASSWORD = "postgres";
    private static final String DUPLICATE_DATABASE = "42P04";

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final EmbeddedPostgres embedded;
    private final Path directory;
    private final StopOnExit stopOnExit;
    private boolean closed;

    private PostgresServer(String host, int port, String user, String password, EmbeddedPostgres embedded,
                           Path directory) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
        this.directory = directory;
        this.stopOnExit = embedded == null ? null : new StopOnExit("PostgreSQL on port " + port, this::close);
    }

    /**
     * Starts PostgreSQL 14 on 127.0.0.1 and a free port with {@code wal_level=logical}. Binaries and data stay under
     * {@code dataDir} and are deleted by close().
     */
    public static PostgresServer start(Path dataDir) {
        return start(dataDir, true);
    }

    /**
     * Starts PostgreSQL 14 as {@link #start(Path)} does; with {@code logicalDecoding} false the server keeps
     * PostgreSQL's default {@code wal_level=replica}, as a server not set up for CDC is.
     */
    public static PostgresServer start(Path dataDir, boolean logicalDecoding) {
        Path root = dataDir.toAbsolutePath();
        // A JVM that died without close() leaves these behind.
        deleteFiles(root);
        // zonky's builder creates its default working directory (/tmp/embedded-pg) before the override below applies;
        // the property it reads first keeps that directory inside this server's root too.
        System.setProperty("ot.epg.working-dir", root.resolve("binaries").toString());
        try {
            EmbeddedPostgres embedded = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(root.resolve("binaries").toFile())
                    .setDataDirectory(root.resolve("data"))
                    .setPgBinaryResolver(ownBinaries())
                    .setPort(FreePorts.pick())
                    // close() and StopOnExit stop the server; zonky's own hook would race them at JVM exit.
                    .setRegisterShutdownHook(false)
                    .setServerConfig("listen_addresses", LOOPBACK)
                    // Nothing uses the unix socket, which would otherwise go to /tmp.
                    .setServerConfig("unix_socket_directories", "")
                    .setServerConfig("wal_level", logicalDecoding ? "logical" : "replica")
                    // One slot per pipeline that reads it; a test run shares one server across many pipelines,
                    // whose slots outlive their jobs (10 ran out in CI).
                    .setServerConfig("max_replication_slots", "64")
                    .setServerConfig("max_wal_senders", "64")
                    // zonky defaults to off, which hides just-committed changes from replication slot functions.
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_connections", "200")
                    .start();
            return new PostgresServer(LOOPBACK, embedded.getPort(), SUPERUSER, SUPERUSER_PASSWORD, embedded, root);
        } catch (IOException | RuntimeException e) {
            deleteFiles(root);
            throw new IllegalStateException("PostgreSQL did not start in " + root + ": " + e.getMessage(), e);
        }
    }

    /** Returns the external server named by {@value #URL_VARIABLE}, or else starts one under {@code dataDir}. */
    public static PostgresServer fromEnvironmentOrStart(Path dataDir) {
        return ServerUrl.fromEnvironment(URL_VARIABLE, "postgresql")
                .map(url -> new PostgresServer(url.host(), url.port(), url.user(), url.password(), null, null))
                .orElseGet(() -> start(dataDir));
    }

    /**
     * zonky caches unpacked binaries JVM-wide per resolver instance: a resolver of its own makes this server unpack
     * into, and later delete, its own directory rather than run from another server's, which may be deleted first.
     */
    private static PgBinaryResolver ownBinaries() {
        return DefaultPostgresBinaryResolver.INSTANCE::getPgBinary;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user, password);
    }

    /** Creates {@code name} unless it exists. */
    public void createDatabase(String name) throws SQLException {
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
            // PostgreSQL has no CREATE DATABASE IF NOT EXISTS; treating "exists" as success is also safe against races.
            statement.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
        } catch (SQLException e) {
            if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    /**
     * Shuts an embedded server down as an operator would with {@code pg_ctl stop -m fast} (SIGINT to the postmaster:
     * clients are disconnected, the data is kept; pg_ctl itself refuses to run as root, as builds here do), for a fault
     * test; {@link #startAgain()} starts it on the same port and data directory.
     */
    public synchronized void shutDown() {
        postmasterCommand(); // an external server fails here
        try {
            long pid = Long.parseLong(Files.readAllLines(directory.resolve("data").resolve("postmaster.pid")).get(0).strip());
            ProcessHandle postmaster = ProcessHandle.of(pid)
                    .orElseThrow(() -> new IllegalStateException("PostgreSQL's postmaster " + pid + " is not running"));
            run(List.of("kill", "-INT", String.valueOf(pid)));
            postmaster.onExit().get(1, TimeUnit.MINUTES);
        } catch (IOException e) {
            throw new UncheckedIOException("no postmaster.pid in " + directory, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("PostgreSQL in " + directory + " did not stop within a minute", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while PostgreSQL stopped", e);
        }
    }

    /**
     * Starts a server stopped by {@link #shutDown()} again with the command line it last ran with (PostgreSQL keeps it
     * in {@code postmaster.opts}): same port, configuration and data. Returns once it accepts connections.
     */
    public synchronized void startAgain() {
        Path log = directory.resolve("data").resolve("restarted.log");
        try {
            List<String> command = new ArrayList<>();
            if ("root".equals(System.getProperty("user.name"))) {
                // PostgreSQL refuses to run as root; like zonky, run it in a user namespace of its own.
                command.addAll(List.of("unshare", "-U"));
            }
            command.addAll(postmasterCommand());
            new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL in " + directory + " did not start again", e);
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            try (Connection ignored = connect("postgres")) {
                return;
            } catch (SQLException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("PostgreSQL in " + directory + " did not accept connections within "
                            + "a minute of starting again; see " + log, notYet);
                }
                sleepBriefly();
            }
        }
    }

    /** The postmaster's command line as PostgreSQL recorded it at start: each word in double quotes but the first. */
    private List<String> postmasterCommand() {
        if (embedded == null) {
            throw new IllegalStateException("an external server (" + URL_VARIABLE + ") is not stopped by tests");
        }
        try {
            String line = Files.readString(directory.resolve("data").resolve("postmaster.opts")).strip();
            List<String> words = new ArrayList<>();
            int firstQuote = line.indexOf(" \"");
            words.add(line.substring(0, firstQuote));
            Matcher quoted = Pattern.compile("\"([^\"]*)\"").matcher(line.substring(firstQuote));
            while (quoted.find()) {
                words.add(quoted.group(1));
            }
            return words;
        } catch (IOException e) {
            throw new UncheckedIOException("no postmaster.opts in " + directory, e);
        }
    }

    private void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command) + " did not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while PostgreSQL started", e);
        }
    }

    /** True when this handle points to the server named by {@value #URL_VARIABLE}, which close() leaves running. */
    public boolean isExternal() {
        return embedded == null;
    }

    /** Stops an embedded server and deletes its files; does nothing for an external one. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed || embedded == null) {
            return;
        }
        closed = true;
        stopOnExit.cancel();
        try {
            embedded.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop PostgreSQL in " + directory, e);
        }
        deleteFiles(directory);
    }

    private static void deleteFiles(Path root) {
        Directories.deleteRecursively(root.resolve("binaries"));
        Directories.deleteRecursively(root.resolve("data"));
        Directories.deleteIfEmpty(root);
    }
}
