package io.tapflow.dsl;

import java.util.Collection;
import java.util.TreeSet;

/** A name that refers to no datasource in the catalog. */
public class NoSuchDataSourceException extends TapflowException {
    private static final long serialVersionUID = 1L;

    public NoSuchDataSourceException(String name, Collection<String> known) {
        super("unknown datasource '" + name + "'" + ClosestName.hint(name, known) + "; known datasources: "
                + (known.isEmpty() ? "(none; add one with 'tapflow datasource add')" : String.join(", ", new TreeSet<>(known))));
    }
}
