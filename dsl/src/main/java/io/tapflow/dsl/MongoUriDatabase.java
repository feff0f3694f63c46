package io.tapflow.dsl;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A MongoDB connection string names its database in its path ({@code mongodb://host:27017/shop}), as TapFlow's
 * examples and MongoDB's own docs write it: that database stands for the {@code database} option when none is given.
 */
public final class MongoUriDatabase {
    private MongoUriDatabase() {}

    /** The options, with {@code database} taken from the URI's path where a MongoDB datasource names none. */
    public static Map<String, String> fill(String type, Map<String, String> options) {
        if (ConnectorTypes.find(type).orElse(null) != ConnectorTypes.MONGODB || options.containsKey("database")
                || !options.containsKey("uri")) {
            return options;
        }
        String path;
        try {
            path = URI.create(options.get("uri")).getPath();
        } catch (IllegalArgumentException e) {
            return options; // not a URI: the connection check says so, naming the datasource
        }
        if (path == null || path.length() <= 1) {
            return options;
        }
        Map<String, String> filled = new LinkedHashMap<>(options);
        filled.put("database", path.substring(1));
        return filled;
    }
}
