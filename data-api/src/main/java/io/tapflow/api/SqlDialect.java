package io.tapflow.api;

import io.tapflow.dsl.DataSource;

/** What differs between PostgreSQL and MySQL/MariaDB for the queries the APIs run: the URL, identifier quotes, the schema, the timeout. */
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

        /**
         * The server's statement_timeout, set once per connection: the driver's per-statement timeout would schedule,
         * cancel and purge a task on its one shared Timer (one lock, often a wake-up of its thread) for every query.
         */
        @Override
        String sessionTimeout(int seconds) {
            return "SET statement_timeout = " + seconds * 1000;
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

        @Override
        String sessionTimeout(int seconds) {
            return null; // MySQL (max_execution_time) and MariaDB (max_statement_time) differ: the driver's timeout serves both
        }
    };

    private final char quote;

    SqlDialect(char quote) {
        this.quote = quote;
    }

    abstract String jdbcUrl(DataSource ds);

    /** The schema tables are looked up in (null: the connection's database). */
    abstract String schema(DataSource ds);

    /** SQL that limits every query of a connection to {@code seconds}, or null to set the timeout per statement. */
    abstract String sessionTimeout(int seconds);

    /** An identifier quoted; names reaching here are declared, validated names, the quoting guards reserved words. */
    String quote(String identifier) {
        return quote + identifier.replace(String.valueOf(quote), String.valueOf(quote) + quote) + quote;
    }
}
