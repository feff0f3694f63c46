package io.tapflow.servers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server run as a child JVM with a classpath of its own (written at build time by an {@code embedded-runtimes}
 * module), so its libraries never meet the test's. Output goes to a log file; the parent waits for a line saying
 * the server is ready.
 */
final class ChildJvm implements AutoCloseable {

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code mainClass} with the JVM options and arguments given, and waits until its log holds
     * {@code readyLine}; fails with the log's tail when the process ends or {@code timeoutSeconds} pass first.
     */
    static ChildJvm start(String name, String classpath, List<String> jvmOptions, String mainClass,
                          List<String> arguments, Path log, String readyLine, int timeoutSeconds) {
        List<String> command = new ArrayList<>(List.of(JAVA, "-cp", classpath));
        command.addAll(jvmOptions);
        command.add(mainClass);
        command.addAll(arguments);
        Process process;
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        }
        ChildJvm jvm = new ChildJvm(name, process, log);
        jvm.awaitLine(readyLine, timeoutSeconds);
        return jvm;
    }

    /** Runs {@code mainClass} to its end (a tool such as a storage formatter); fails with its output unless it exits 0. */
    static void run(String name, String classpath, String mainClass, List<String> arguments, Path log, int timeoutSeconds) {
        List<String> command = new ArrayList<>(List.of(JAVA, "-Xmx256m", "-cp", classpath, mainClass));
        command.addAll(arguments);
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " did not finish within " + timeoutSeconds + " s; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(name + " failed (exit " + process.exitValue() + "): " + tail(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + name, e);
        }
    }

    /** The classpath an {@code embedded-runtimes} module wrote, plus the location of that module's own classes. */
    static String classpath(String resource) {
        URL url = ChildJvm.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException(resource + " is missing from the classpath; build with `mvn -am` so the"
                    + " embedded-runtimes modules write it");
        }
        try (InputStream in = url.openStream()) {
            String dependencies = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            return dependencies + java.io.File.pathSeparator + codeRoot(url, resource);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + url, e);
        }
    }

    /** The jar or classes directory holding {@code resource}. */
    private static String codeRoot(URL url, String resource) {
        String text = url.toString();
        try {
            if (text.startsWith("jar:")) {
                return Paths.get(new URL(text.substring(4, text.indexOf("!/"))).toURI()).toString();
            }
            Path file = Paths.get(url.toURI());
            return file.toString().substring(0, file.toString().length() - resource.length());
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("Cannot locate the code of " + url, e);
        }
    }

    private void awaitLine(String readyLine, int timeoutSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (logContains(readyLine)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready: "
                        + tail(log));
            }
            sleep(200);
        }
        close();
        throw new IllegalStateException(name + " was not ready within " + timeoutSeconds + " s: " + tail(log));
    }

    private boolean logContains(String line) {
        try (BufferedReader reader = Files.newBufferedReader(log, StandardCharsets.ISO_8859_1)) {
            return reader.lines().anyMatch(l -> l.contains(line));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + log, e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /** Asks the JVM to stop (its shutdown hooks close the server), and kills it if it has not ended after 20 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
