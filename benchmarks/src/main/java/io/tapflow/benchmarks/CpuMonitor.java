package io.tapflow.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How busy the machine was during a measurement, from Linux's /proc: CPU used by this benchmark (this JVM, the
 * servers it started and their children) and by everything else. On a 2-core machine shared with other work, the
 * second number says whether a result can be trusted.
 */
final class CpuMonitor {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
    private final String workDir;

    CpuMonitor(Path workDir) {
        this.workDir = workDir.toString();
    }

    /** CPU ticks of one own process, and which group it counts to: jvm, mariadb, postgres, kafka or elasticsearch. */
    record Ticks(String group, long ticks) {}

    record Sample(long nanos, long totalBusyTicks, Map<Long, Ticks> ownTicks, Map<Long, Ticks> jvmThreads) {}

    /** The last reading of every JVM thread seen by {@link #observe()} or {@link #sample()}, ended threads included. */
    private final Map<Long, Ticks> threadsSeen = new HashMap<>();

    Sample sample() {
        threadsSeen.putAll(jvmThreadTicks());
        return new Sample(System.nanoTime(), totalBusyTicks(), ownProcessTicks(), new HashMap<>(threadsSeen));
    }

    /** Reads the JVM's threads now, so that short-lived ones (Flink CDC starts a reader thread per chunk) are counted. */
    void observe() {
        threadsSeen.putAll(jvmThreadTicks());
    }

    /**
     * The JVM threads that used most CPU since {@code start}, by their (15-character) OS thread names, digits as #;
     * a thread that ended is counted up to the last {@link #observe()} that saw it.
     */
    String busiestThreads(Sample start, int limit) {
        Sample end = sample();
        double scale = TICKS_PER_SECOND * (end.nanos() - start.nanos()) / 1e9;
        Map<String, Long> byName = new HashMap<>();
        threadsSeen.forEach((tid, t) -> {
            Ticks before = start.jvmThreads().get(tid);
            byName.merge(t.group(), t.ticks() - (before == null ? 0 : before.ticks()), Long::sum);
        });
        return byName.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(limit)
                .map(e -> String.format("'%s' %.2f", e.getKey(), e.getValue() / scale))
                .collect(java.util.stream.Collectors.joining(", ", "busiest JVM threads (cores): ", ""));
    }

    private static Map<Long, Ticks> jvmThreadTicks() {
        Map<Long, Ticks> threads = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(task -> {
                try {
                    long tid = Long.parseLong(task.getFileName().toString());
                    String name = Files.readString(task.resolve("comm")).trim().replaceAll("[0-9]+", "#");
                    long ticks = ticksOf(task.resolve("stat"));
                    if (ticks >= 0) {
                        threads.put(tid, new Ticks(name, ticks));
                    }
                } catch (IOException | RuntimeException ignored) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException e) {
            return threads;
        }
        return threads;
    }

    /**
     * Cores used on average since {@code start}: "cpu jvm 0.95 + mariadb 0.20 + postgres 0.30, others 0.02". Server
     * connections closed before this call are missed (and counted as others), so call it while they are open.
     */
    String since(Sample start) {
        Sample end = sample();
        double seconds = (end.nanos() - start.nanos()) / 1e9;
        if (seconds <= 0 || end.totalBusyTicks() < 0) {
            return "cpu unknown";
        }
        Map<String, Long> byGroup = new java.util.TreeMap<>();
        long own = 0;
        for (Map.Entry<Long, Ticks> e : end.ownTicks().entrySet()) {
            // A process that started during the interval counts from zero.
            Ticks before = start.ownTicks().get(e.getKey());
            long used = e.getValue().ticks() - (before == null ? 0 : before.ticks());
            own += used;
            byGroup.merge(e.getValue().group(), used, Long::sum);
        }
        long total = end.totalBusyTicks() - start.totalBusyTicks();
        double scale = TICKS_PER_SECOND * seconds;
        StringBuilder servers = new StringBuilder();
        for (String childJvm : List.of("kafka", "elasticsearch")) {
            if (byGroup.containsKey(childJvm)) {
                servers.append(String.format(" + %s %.2f", childJvm, byGroup.get(childJvm) / scale));
            }
        }
        return String.format("cpu jvm %.2f + mariadb %.2f + postgres %.2f%s, others %.2f",
                byGroup.getOrDefault("jvm", 0L) / scale, byGroup.getOrDefault("mariadb", 0L) / scale,
                byGroup.getOrDefault("postgres", 0L) / scale, servers, Math.max(0, total - own) / scale);
    }

    /** CPU seconds this JVM (all its threads, ended ones included) used since {@code start}. */
    double jvmCpuSeconds(Sample start) {
        long pid = ProcessHandle.current().pid();
        Ticks before = start.ownTicks().get(pid);
        long now = processTicks(pid);
        return before == null || now < 0 ? Double.NaN : (now - before.ticks()) / TICKS_PER_SECOND;
    }

    private static long totalBusyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[i]);
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime+stime of this JVM, its descendants, and any process (with descendants) whose command line names the work dir. */
    private Map<Long, Ticks> ownProcessTicks() {
        Set<ProcessHandle> own = new HashSet<>();
        ProcessHandle self = ProcessHandle.current();
        own.add(self);
        self.descendants().forEach(own::add);
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(workDir)).orElse(false))
                .forEach(p -> {
                    own.add(p);
                    p.descendants().forEach(own::add);
                });
        Map<Long, Ticks> ticks = new HashMap<>();
        for (ProcessHandle p : own) {
            long t = processTicks(p.pid());
            if (t >= 0) {
                ticks.put(p.pid(), new Ticks(group(p, self), t));
            }
        }
        return ticks;
    }

    private static String group(ProcessHandle p, ProcessHandle self) {
        if (p.pid() == self.pid()) {
            return "jvm";
        }
        String command = p.info().command().orElse("") + " " + commandLine(p.pid());
        if (command.contains("mariadbd") || command.contains("mysqld")) {
            return "mariadb";
        }
        // Kafka and Elasticsearch run as child JVMs of their own (embedded-servers), named by their main class.
        if (command.contains(" kafka.Kafka ")) {
            return "kafka";
        }
        if (command.contains("ElasticsearchNodeMain")) {
            return "elasticsearch";
        }
        // Backends retitle themselves ("postgres: postgres bench ..."); the postmaster runs bin/postgres.
        return command.contains("postgres") ? "postgres" : "jvm";
    }

    /**
     * The process's arguments from /proc: ProcessHandle's commandLine() is empty for the child JVMs, whose classpath
     * makes their command line very long.
     */
    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), java.nio.charset.StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** CPU seconds (user + system) used so far by these processes; ended ones count as zero. */
    static double cpuSeconds(List<Long> pids) {
        return pids.stream().mapToLong(CpuMonitor::processTicks).filter(t -> t >= 0).sum() / TICKS_PER_SECOND;
    }

    private static long processTicks(long pid) {
        return ticksOf(Path.of("/proc/" + pid + "/stat"));
    }

    private static long ticksOf(Path statFile) {
        try {
            String stat = Files.readString(statFile);
            // Fields after the parenthesised command name; utime and stime are fields 14 and 15 of the whole line.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
