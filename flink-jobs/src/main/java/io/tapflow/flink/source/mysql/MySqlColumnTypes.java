package io.tapflow.flink.source.mysql;

import java.util.Set;

/**
 * The MySQL/MariaDB column types tapflow reads (by information_schema DATA_TYPE), on the snapshot path
 * ({@code MySqlRowReader}) and the change stream ({@code DebeziumValueConverter}) alike. Planning reports any other
 * type before anything is created.
 */
public final class MySqlColumnTypes {
    /**
     * Spatial types: read as MySQL's own bytes, a 4-byte little-endian SRID and then the OGC WKB, which a MySQL
     * target takes back as it is and PostGIS reads with {@code ST_GeomFromWKB(substring(v from 5), srid)}.
     */
    public static final Set<String> SPATIAL = Set.of("geometry", "point", "linestring", "polygon", "multipoint",
            "multilinestring", "multipolygon", "geometrycollection", "geomcollection");

    private static final Set<String> OTHERS = Set.of("tinyint", "smallint", "mediumint", "int", "integer", "bigint",
            "decimal", "numeric", "float", "double", "real", "char", "varchar", "tinytext", "text", "mediumtext",
            "longtext", "enum", "set", "json", "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "bit",
            "date", "time", "datetime", "timestamp", "year");

    private MySqlColumnTypes() {}

    public static boolean isSupported(String dataType) {
        return OTHERS.contains(dataType) || SPATIAL.contains(dataType);
    }

    /**
     * Whether an ENUM or SET declaration shows a member as '?': MariaDB's information_schema and SHOW CREATE TABLE
     * (utf8mb3) print a member holding a 4-byte character ('😀') so, and the change reader, which learns the members
     * from SHOW CREATE TABLE, would deliver '?' for it.
     */
    public static boolean hasUnreadableMember(String dataType, String columnType) {
        return (dataType.equals("enum") || dataType.equals("set")) && columnType.contains("?");
    }
}
