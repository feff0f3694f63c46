package io.tapflow.flink.schema;

import java.io.Serializable;

/**
 * A source column as the source database describes it. {@code dataType} is the bare type name in lower case
 * ("decimal", "varchar"); {@code columnType} the full declaration ("decimal(38,10)", "bigint(20) unsigned").
 * Precision, scale and length are -1 where they do not apply. The type names are MySQL's, the vocabulary every
 * target dialect maps from; other sources describe their columns in it (PostgreSQL: {@code PostgresColumnTypes}).
 */
public record Column(String name, String dataType, String columnType, long length, int precision, int scale,
                     boolean nullable, boolean unsigned) implements Serializable {
    private static final long serialVersionUID = 1L;
    /**
     * The data type of a field a lookup embeds (a row or an array of rows): jsonb in PostgreSQL, JSON in MySQL, an
     * object field in Elasticsearch, a nested document or array in MongoDB.
     */
    public static final String DOCUMENT = "document";
    /**
     * The data type of a PostgreSQL source's one-dimensional array column, whose values are a {@code List} of scalar
     * row values (NULL elements kept); {@code columnType} holds PostgreSQL's declaration ("text[]", "numeric(5,2)[]"),
     * which a PostgreSQL target declares again. MySQL targets hold it as a JSON array, MongoDB as an array.
     */
    public static final String ARRAY = "array";
}
