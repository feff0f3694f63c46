package io.tapflow.cli.catalog;

import io.tapflow.cli.OwnerOnlyFiles;
import io.tapflow.cli.TapflowHome;
import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.DefinitionJson;
import io.tapflow.dsl.NoSuchDataSourceException;
import io.tapflow.dsl.TapflowException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The local catalog of datasources: one JSON file per datasource under {@code $TAPFLOW_HOME/datasources}, readable
 * only by the owner because it may hold passwords (prefer {@code ${env:NAME}} references).
 */
public final class Catalog {
    private final Path dir;

    public Catalog(Path home) {
        this.dir = home.resolve("datasources");
    }

    public static Catalog open() {
        return new Catalog(TapflowHome.path());
    }

    public void save(DataSource ds) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ds.name(), ".tmp");
            OwnerOnlyFiles.restrict(tmp);
            Files.writeString(tmp, DefinitionJson.toJson(ds));
            Files.move(tmp, file(ds.name()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new TapflowException("cannot write the catalog at " + dir + ": " + e.getMessage(), e);
        }
    }

    public boolean exists(String name) {
        return Files.exists(file(name));
    }

    public DataSource get(String name) {
        Path file = file(name);
        if (!Files.exists(file)) {
            throw new NoSuchDataSourceException(name, all().keySet());
        }
        try {
            return DefinitionJson.dataSource(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new TapflowException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public Map<String, DataSource> all() {
        Map<String, DataSource> out = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> sorted = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            for (Path p : sorted) {
                DataSource ds = DefinitionJson.dataSource(Files.readString(p), p.toString());
                out.put(ds.name(), ds);
            }
        } catch (IOException e) {
            throw new TapflowException("cannot read the catalog at " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    public void remove(String name) {
        if (!exists(name)) {
            throw new NoSuchDataSourceException(name, all().keySet());
        }
        try {
            Files.delete(file(name));
        } catch (IOException e) {
            throw new TapflowException("cannot remove " + file(name) + ": " + e.getMessage(), e);
        }
    }

    private Path file(String name) {
        return dir.resolve(name + ".json");
    }
}
