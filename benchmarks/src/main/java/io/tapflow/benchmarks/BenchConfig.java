package io.tapflow.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Settings of a benchmark run: {@code --name=value} arguments override {@code -Dbench.name=value} system properties,
 * which override the defaults.
 */
final class BenchConfig {
    private final Properties values = new Properties();

    private BenchConfig() {}

    static BenchConfig parse(String[] args) {
        BenchConfig config = new BenchConfig();
        System.getProperties().forEach((k, v) -> {
            String key = k.toString();
            if (key.startsWith("bench.")) {
                config.values.setProperty(key.substring("bench.".length()), v.toString());
            }
        });
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("arguments look like --name=value, got: " + arg);
            }
            int eq = arg.indexOf('=');
            config.values.setProperty(arg.substring(2, eq), arg.substring(eq + 1));
        }
        return config;
    }

    String string(String name, String defaultValue) {
        return values.getProperty(name, defaultValue);
    }

    int integer(String name, int defaultValue) {
        String v = values.getProperty(name);
        return v == null ? defaultValue : Integer.parseInt(v.replace("_", "").replace(",", ""));
    }

    List<Integer> integers(String name, String defaultValue) {
        List<Integer> list = new ArrayList<>();
        for (String part : string(name, defaultValue).split(",")) {
            if (!part.isBlank()) {
                list.add(Integer.parseInt(part.trim().replace("_", "")));
            }
        }
        return list;
    }

    /** A copy with one setting replaced. */
    BenchConfig with(String name, String value) {
        BenchConfig copy = new BenchConfig();
        copy.values.putAll(values);
        copy.values.setProperty(name, value);
        return copy;
    }

    boolean flag(String name, boolean defaultValue) {
        String v = values.getProperty(name);
        return v == null ? defaultValue : Boolean.parseBoolean(v);
    }

    /** Where servers, checkpoints and logs go; everything in it is deleted at the end of a run. */
    Path workDir() {
        return Path.of(string("workDir", "target/bench")).toAbsolutePath().normalize();
    }
}
