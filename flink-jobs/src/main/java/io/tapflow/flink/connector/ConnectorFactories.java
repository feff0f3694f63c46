package io.tapflow.flink.connector;

import io.tapflow.dsl.ConnectorTypes;
import io.tapflow.dsl.TapflowException;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds connector factories by datasource type; an unknown or unsupported type fails with the list of available ones. */
public final class ConnectorFactories {
    private ConnectorFactories() {}

    public static ConnectorFactory get(String type) {
        return find(type, ConnectorFactory.class, "");
    }

    public static SourceFactory source(String type) {
        return find(type, SourceFactory.class, "source ");
    }

    public static SinkFactory sink(String type) {
        return find(type, SinkFactory.class, "target ");
    }

    private static <T extends ConnectorFactory> T find(String type, Class<T> role, String roleName) {
        String identifier = ConnectorTypes.get(type).identifier();
        Map<String, T> available = new TreeMap<>();
        for (ConnectorFactory f : ServiceLoader.load(ConnectorFactory.class, ConnectorFactories.class.getClassLoader())) {
            if (role.isInstance(f)) {
                available.put(f.identifier(), role.cast(f));
            }
        }
        T factory = available.get(identifier);
        if (factory == null) {
            throw new TapflowException("no " + roleName + "connector for datasource type '" + type + "'; available "
                    + roleName + "connectors: " + String.join(", ", available.keySet()));
        }
        return factory;
    }
}
