package io.tapflow.cli.run;

import io.tapflow.dsl.TapflowException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * Lets one {@code tapflow run} of a pipeline run at a time: two would write one target from one checkpoint. The lock is
 * an operating-system file lock on {@code run.lock} in the pipeline's {@link LocalRun} folder, held while the process
 * runs; the file holds the holder's pid for the message. The system releases the lock when the process ends, however
 * it ends, so a lock file left by a process that died blocks nothing.
 */
public final class RunLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the pipeline's lock, or throws naming the process that holds it. */
    public static RunLock acquire(LocalRun run) {
        Path file = run.lockFile();
        try {
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                channel.close();
                throw new TapflowException("pipeline '" + run.pipeline() + "' is already running" + holder(file)
                        + "; stop it first");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(String.valueOf(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            return new RunLock(channel, lock);
        } catch (IOException e) {
            throw new TapflowException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    /** The pid of the process running the pipeline, if one does. */
    public static OptionalLong runningPid(LocalRun run) {
        if (!Files.exists(run.lockFile())) {
            return OptionalLong.empty();
        }
        try (FileChannel channel = FileChannel.open(run.lockFile(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = tryLock(channel);
            if (lock != null) {
                lock.release();
                return OptionalLong.empty();
            }
            return pid(run.lockFile());
        } catch (IOException e) {
            throw new TapflowException("cannot read " + run.lockFile() + ": " + e.getMessage(), e);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this very process
        }
    }

    private static String holder(Path file) {
        OptionalLong pid = pid(file);
        return pid.isPresent() ? " (pid " + pid.getAsLong() + ")" : "";
    }

    private static OptionalLong pid(Path file) {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty(); // the holder has not written its pid yet
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // The lock goes with the process anyway.
        }
    }
}
