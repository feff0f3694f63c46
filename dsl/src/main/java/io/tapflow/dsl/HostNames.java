package io.tapflow.dsl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether two host options name one server: {@code localhost}, {@code 127.0.0.1} and {@code ::1} are one machine, names
 * differ from addresses only in spelling when they resolve to the same address, and case does not count.
 */
public final class HostNames {
    private HostNames() {}

    public static boolean same(String a, String b) {
        if (a == null || b == null) {
            return a == b;
        }
        String x = normal(a);
        String y = normal(b);
        if (x.equals(y)) {
            return true;
        }
        Set<InetAddress> ax = addresses(x);
        Set<InetAddress> ay = addresses(y);
        if (ax.isEmpty() || ay.isEmpty()) {
            return false;
        }
        boolean loopX = ax.stream().allMatch(InetAddress::isLoopbackAddress);
        boolean loopY = ay.stream().allMatch(InetAddress::isLoopbackAddress);
        return loopX && loopY || ax.stream().anyMatch(ay::contains);
    }

    private static String normal(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** The host's addresses; none when it cannot be resolved (then only its spelling can match). */
    private static Set<InetAddress> addresses(String host) {
        try {
            return Arrays.stream(InetAddress.getAllByName(host)).collect(Collectors.toSet());
        } catch (UnknownHostException | SecurityException e) {
            return Set.of();
        }
    }
}
