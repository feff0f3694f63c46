package io.tapflow.api;

import io.tapflow.dsl.DataSource;

/** What differs between PostgreSQL and MySQL/MariaDB for the queries the APIs run: the URL, identifier quotes, the schema. */
enum SqlDialect {
    POSTGRES('"') {
        @Override
        String jdbcUrl(DataSource ds) {
            return "jdbc:postgresql://" + ds.get("host") + ":" + ds.getInt("port") + "/" + ds.get("database")
                    + "?ApplicationName=tapflow-api";
        }

        @Override
        String schema(DataSource ds) {
            return ds.get("schema");
        }
    },
    MYSQL('`') {
        @Override
        String jdbcUrl(DataSource ds) {
            // serverTimezone=UTC: TIMESTAMP columns come back as the instants they are, rendered in UTC.
            return "jdbc:mysql://" + ds.get("host") + ":" + ds.getInt("port") + "/" + ds.get("database")
                    + "?useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=10000&serverTimezone=UTC"
                    + "&tinyInt1isBit=false&yearIsDateType=false&zeroDateTimeBehavior=EXCEPTION&useCursorFetch=false";
        }

        @Override
        String schema(DataSource ds) {
            return null;
        }
    };

    private final char quote;

    SqlDialect(char quote) {
        this.quote = quote;
    }

    abstract String jdbcUrl(DataSource ds);

    /** The schema tables are looked up in (null: the connection's database). */
    abstract String schema(DataSource ds);

    /** An identifier quoted; names reaching here are declared, validated names, the quoting guards reserved words. */
    String quote(String identifier) {
        return quote + identifier.replace(String.valueOf(quote), String.valueOf(quote) + quote) + quote;
    }
}
