package io.tapflow.flink.connector;

import io.tapflow.dsl.DataSource;
import java.util.List;

/**
 * The SPI every connector implements, found by {@link java.util.ServiceLoader}. Adding a connector is one package
 * with a factory and one line in {@code META-INF/services/io.tapflow.flink.connector.ConnectorFactory}.
 */
public interface ConnectorFactory {

    /** The canonical datasource type, as in {@link io.tapflow.dsl.ConnectorTypes}. */
    String identifier();

    /** Connects and lists the tables (or collections) of the datasource; fails with a message saying why it cannot. */
    List<String> listTables(DataSource resolvedDataSource);
}
