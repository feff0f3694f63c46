package io.tapflow.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The collections this JVM's garbage collectors ran between two moments, to tell GC pauses from other causes of a
 * latency tail. For G1 and Parallel the times are pauses; ZGC's single bean on JDK 17 counts its mostly concurrent cycles.
 */
record GcPauses(Map<String, long[]> start) {
    static GcPauses now() {
        return new GcPauses(read());
    }

    /** e.g. {@code G1 Young Generation: 41 collections, 187 ms}, with the collector in use named. */
    String since() {
        List<String> parts = new ArrayList<>();
        read().forEach((name, v) -> {
            long[] before = start.getOrDefault(name, new long[2]);
            parts.add(name + ": " + (v[0] - before[0]) + " collections, " + (v[1] - before[1]) + " ms");
        });
        return String.join("; ", parts);
    }

    private static Map<String, long[]> read() {
        Map<String, long[]> counts = new LinkedHashMap<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            counts.put(gc.getName(), new long[] {gc.getCollectionCount(), gc.getCollectionTime()});
        }
        return counts;
    }
}
