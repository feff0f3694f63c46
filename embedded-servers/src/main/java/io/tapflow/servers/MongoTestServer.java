package io.tapflow.servers;

import com.mongodb.ConnectionString;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * A MongoDB endpoint for tests: the real server named by {@value #URI_VARIABLE}, or else an in-process emulator
 * (mongo-java-server), which supports CRUD, indexes and aggregation but no transactions or faithful change streams.
 */
public final class MongoTestServer implements AutoCloseable {

    /** Names a real MongoDB server by its connection string, e.g. {@code mongodb://user:password@host:27017}. */
    public static final String URI_VARIABLE = "TAPFLOW_TEST_MONGO_URI";

    // The jar carries no version; keep this in step with mongo-java-server in the parent pom.
    private static final String EMULATOR_LABEL = "MongoDB emulator (mongo-java-server 1.47.0, not a real mongod)";
    private static final String LOOPBACK = "127.0.0.1";

    private final String connectionString;
    private final String label;
    private final MongoServer emulator;

    private MongoTestServer(String connectionString, String label, MongoServer emulator) {
        this.connectionString = connectionString;
        this.label = label;
        this.emulator = emulator;
    }

    /** Returns the server named by {@value #URI_VARIABLE}, or else starts the emulator. */
    public static MongoTestServer fromEnvironmentOrStart() {
        String uri = System.getenv(URI_VARIABLE);
        if (uri == null || uri.isBlank()) {
            return startEmulator();
        }
        ConnectionString parsed;
        try {
            parsed = new ConnectionString(uri.strip());
        } catch (IllegalArgumentException e) {
            // The driver's messages do not quote the string, which may hold a password.
            throw new IllegalArgumentException(
                    URI_VARIABLE + " is not a MongoDB connection string: " + e.getMessage(), e);
        }
        return new MongoTestServer(parsed.getConnectionString(), "MongoDB at " + String.join(",", parsed.getHosts()),
                null);
    }

    /** Starts the in-memory emulator on 127.0.0.1 and a free port. */
    public static MongoTestServer startEmulator() {
        MongoServer emulator = new MongoServer(new MemoryBackend());
        // Port 0 lets the emulator bind a free port itself, with no race.
        emulator.bind(LOOPBACK, 0);
        String connectionString = "mongodb://" + LOOPBACK + ":" + emulator.getLocalAddress().getPort();
        return new MongoTestServer(connectionString, EMULATOR_LABEL, emulator);
    }

    /** The connection string, including any credentials: pass it to a client, never print it; print label(). */
    public String connectionString() {
        return connectionString;
    }

    public boolean isEmulator() {
        return emulator != null;
    }

    /** Says which server this is, without credentials, for logs and reports. */
    public String label() {
        return label;
    }

    /** Stops the emulator; a real server is left running. */
    @Override
    public void close() {
        if (emulator != null) {
            emulator.shutdownNow();
        }
    }
}
