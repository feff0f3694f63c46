package io.tapflow.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files tapflow writes under TAPFLOW_HOME that hold definitions, history or state: readable and writable by their
 * owner only (0600), whatever the umask, since they may name hosts, users, or a secret typed by mistake.
 */
public final class OwnerOnlyFiles {
    private OwnerOnlyFiles() {}

    /** Writes text, creating the file (and its directories) first so that it never exists with wider permissions. */
    public static void writeString(Path file, String text, OpenOption... options) throws IOException {
      create(file);
        Files.writeString(file, text, options);
    }

    /** Creates an empty owner-only file, or narrows an existing one to its owner. */
    public static void create(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!Files.exists(file)) {
            Files.createFile(file);
        }
      restrict(file);
    }

    public static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the directory's own permissions apply.
        }
    }
}
