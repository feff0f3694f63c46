package io.tapflow.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What this JVM did between two moments: CPU time, the collections its garbage collectors ran, and its peak thread
 * count, to tell GC pauses and thread scheduling from other causes of a latency tail. CPU time per request is a
 * measure of cost that a busy machine skews less than latency. For G1 and Parallel the GC times are pauses; ZGC's
 * single bean on JDK 17 counts its mostly concurrent cycles.
 */
record JvmUsage(long cpuNanos, Map<String, long[]> gc) {
    static JvmUsage now() {
        ManagementFactory.getThreadMXBean().resetPeakThreadCount();
        return new JvmUsage(processCpuNanos(), collections());
    }

    /** e.g. {@code 41 µs CPU per request, peak 45 threads; G1 Young Generation: 41 collections, 187 ms; ...}. */
    String since(long requests) {
        List<String> parts = new ArrayList<>();
        parts.add(String.format("%.0f µs CPU per request, peak %d threads", (processCpuNanos() - cpuNanos) / 1000.0 / Math.max(1, requests),
                ManagementFactory.getThreadMXBean().getPeakThreadCount()));
        collections().forEach((name, v) -> {
            long[] before = gc.getOrDefault(name, new long[2]);
            parts.add(name + ": " + (v[0] - before[0]) + " collections, " + (v[1] - before[1]) + " ms");
        });
        return String.join("; ", parts);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static Map<String, long[]> collections() {
        Map<String, long[]> counts = new LinkedHashMap<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            counts.put(gc.getName(), new long[] {gc.getCollectionCount(), gc.getCollectionTime()});
        }
        return counts;
    }
}
