package io.tapflow.dsl;

import java.util.Collection;
import java.util.Optional;

/** The known name a mistyped one most likely meant ({@code prot} → {@code port}), for "did you mean" hints. */
public final class ClosestName {
    private ClosestName() {}

    /** The closest of {@code known} within an edit distance of a third of the typed name's length (at least 1). */
    public static Optional<String> of(String typed, Collection<String> known) {
        String t = typed.toLowerCase();
        int limit = Math.max(1, t.length() / 3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : known) {
            int d = distance(t, name.toLowerCase());
            if (d <= limit && d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** "; did you mean 'x'?" or nothing. */
    public static String hint(String typed, Collection<String> known) {
        return of(typed, known).map(n -> "; did you mean '" + n + "'?").orElse("");
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours cost 1. */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
