package io.tapflow.flink.source.postgres;

import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import java.util.Properties;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.SchemaBuilder;

/**
 * Hands every PostgreSQL array column to tapflow as the server's text of the array ({@code {1,NULL,3}},
 * {@code [2:3]={a,b}}, {@code {{1,2},{3,4}}}), marked with its element type, from the snapshot and the change stream
 * alike; {@link PostgresArrayLiteral} then reads it. Debezium 1.9's own array conversion loses what tapflow must see:
 * it turns each inner array of a multi-dimensional int, numeric, bool, uuid or date array into a NULL element, which
 * no one could tell from a real NULL, and it drops the lower bound of an array not indexed from 1. Both paths give a
 * {@link java.sql.Array} whose {@code toString()} is that text (the snapshot's JDBC driver reads arrays as text, see
 * {@link PostgresCdcSourceFactory}); a registered Debezium converter ({@code converters=...}).
 */
public final class PostgresArrayColumns implements CustomConverter<SchemaBuilder, RelationalColumn> {
    /** The schema parameter holding the array's element type (udt_name without the leading underscore). */
    public static final String ELEMENT_TYPE = "tapflow.array.element";

    @Override
    public void configure(Properties props) {
        // Nothing to configure: every array column of an accepted element type is converted.
    }

    @Override
    public void converterFor(RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
        String type = column.typeName();
        if (type == null || !type.startsWith("_") || !PostgresColumnTypes.ARRAY_ELEMENTS.contains(type.substring(1))) {
            return;
        }
        registration.register(SchemaBuilder.string().optional().parameter(ELEMENT_TYPE, type.substring(1)),
                value -> value == null ? null : value.toString());
    }
}
