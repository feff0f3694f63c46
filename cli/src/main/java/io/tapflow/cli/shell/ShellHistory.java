package io.tapflow.cli.shell;

import io.tapflow.cli.OwnerOnlyFiles;
import io.tapflow.cli.TapflowHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.jline.reader.LineReader;
import org.jline.reader.impl.history.DefaultHistory;

/**
 * The shell's history, kept in {@code $TAPFLOW_HOME/shell_history}: an owner-only file (0600), and each line with its
 * literal secrets masked ({@link SecretLines}) before it is kept, in memory as on disk, so that a password typed into
 * a {@code DataSource(...)} line is never written down.
 */
final class ShellHistory extends DefaultHistory {
    private final Path file;

    /** @param file the history file; give the reader the same as its {@link LineReader#HISTORY_FILE} */
    ShellHistory(Path file) {
        this.file = file;
    }

    /** The history file of this TAPFLOW_HOME. */
    static Path file() {
        return TapflowHome.path().resolve("shell_history");
    }

    @Override
    public void add(Instant time, String line) {
        super.add(time, SecretLines.mask(line));
    }

    @Override
    public void save() throws IOException {
        OwnerOnlyFiles.create(file); // JLine appends with the umask's permissions: the file must exist first
        super.save();
    }

    @Override
    public void load() throws IOException {
        if (Files.exists(file)) {
            OwnerOnlyFiles.restrict(file); // a history file of an older tapflow may still be world-readable
        }
        super.load();
    }
}
