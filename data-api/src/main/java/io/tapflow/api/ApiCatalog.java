package io.tapflow.api;

import io.tapflow.dsl.DefinitionJson;
import io.tapflow.dsl.TapflowException;
import io.tapflow.dsl.api.Api;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The published APIs: one JSON definition each under {@code $TAPFLOW_HOME/apis}, beside the datasources and pipelines. */
public final class ApiCatalog {
    private final Path dir;

    public ApiCatalog(Path home) {
        this.dir = home.resolve("apis");
    }

    public void save(Api api) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, api.name(), ".tmp");
            Files.writeString(tmp, DefinitionJson.toJson(api));
            Files.move(tmp, file(api.name()), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new TapflowException("cannot write the API catalog at " + dir + ": " + e.getMessage(), e);
        }
    }

    public boolean exists(String name) {
        return Files.isRegularFile(file(name));
    }

    public Api get(String name) {
        if (!exists(name)) {
            throw new TapflowException("no published API '" + name + "'; published: " + (names().isEmpty() ? "none" : String.join(", ", names())));
        }
        try {
            return DefinitionJson.api(Files.readString(file(name)), file(name).toString());
        } catch (IOException e) {
            throw new TapflowException("cannot read " + file(name) + ": " + e.getMessage(), e);
        }
    }

    public List<Api> all() {
        List<Api> out = new ArrayList<>();
        names().forEach(n -> out.add(get(n)));
        return out;
    }

    public void remove(String name) {
        get(name);
        try {
            Files.delete(file(name));
        } catch (IOException e) {
            throw new TapflowException("cannot remove " + file(name) + ": " + e.getMessage(), e);
        }
    }

    public List<String> names() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".json"))
                    .map(f -> f.substring(0, f.length() - ".json".length())).sorted().toList();
        } catch (IOException e) {
            throw new TapflowException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private Path file(String name) {
        return dir.resolve(name + ".json");
    }

    /** Restricts a new file to its owner where the file system has POSIX permissions. */
    static void ownerOnly(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
