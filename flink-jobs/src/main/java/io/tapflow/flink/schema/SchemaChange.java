package io.tapflow.flink.schema;

import java.io.Serializable;

/** One change of a table's columns, in the source or as made in a target: what {@code describe()} says in SQL terms. */
public sealed interface SchemaChange extends Serializable {

    /** E.g. {@code ADD COLUMN note varchar(40)}. */
    String describe();

    /**
     * A column that is new; {@code defaultValue} is the source's DEFAULT as an SQL constant ({@code 'd'}, {@code 7}),
     * null when it has none or one that is not a constant, so that target rows that existed get what source rows got.
     */
    record AddColumn(Column column, String defaultValue) implements SchemaChange {
        public AddColumn(Column column) {
            this(column, null);
        }

        @Override
        public String describe() {
            return "ADD COLUMN " + column.name() + " " + column.columnType() + (defaultValue == null ? "" : " DEFAULT " + defaultValue);
        }
    }

    /** A column that is gone. */
    record DropColumn(String name) implements SchemaChange {
        @Override
        public String describe() {
            return "DROP COLUMN " + name;
        }
    }

    /** A column with a new name and the same type, at the same position. */
    record RenameColumn(String from, String to) implements SchemaChange {
        @Override
        public String describe() {
            return "RENAME COLUMN " + from + " TO " + to;
        }
    }

    /** A column whose type changed. */
    record ModifyColumn(Column before, Column after) implements SchemaChange {
        @Override
        public String describe() {
            return "MODIFY " + after.name() + " " + before.columnType() + " -> " + after.columnType();
        }
    }
}
