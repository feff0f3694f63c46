package io.tapflow.dsl;

/** A table (or collection) of a named datasource, e.g. {@code mysql.table("customer")}. */
public record TableRef(String datasource, String table) implements TableSelector, java.io.Serializable {
    @Override
    public String toString() {
        return datasource + "." + table;
    }
}
