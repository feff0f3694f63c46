package io.tapflow.benchmarks;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The snapshot benchmark's source table: ten columns of the usual kinds (INT key, BIGINT, two VARCHARs, DECIMAL,
 * DOUBLE, DATETIME(3), TIMESTAMP(3) with some NULLs, ~120-character TEXT, ENUM), about 280 bytes per row in
 * PostgreSQL's COPY text form. Rows are generated from a fixed seed, so every run loads the same data.
 */
final class BenchTable {
    static final String NAME = "bench";
    static final List<String> COLUMNS = List.of(
            "id", "account_id", "full_name", "email", "amount", "score", "created_at", "updated_at", "note", "status");
    private static final String MYSQL_DDL = "CREATE TABLE " + NAME + " ("
            + "id INT NOT NULL PRIMARY KEY, "
            + "account_id BIGINT NOT NULL, "
            + "full_name VARCHAR(64) NOT NULL, "
            + "email VARCHAR(128), "
            + "amount DECIMAL(12,2), "
            + "score DOUBLE, "
            + "created_at DATETIME(3) NOT NULL, "
            + "updated_at TIMESTAMP(3) NULL, "
            + "note TEXT, "
            + "status ENUM('new','active','suspended','closed') NOT NULL"
            + ") ENGINE=InnoDB";
    static final String SELECT_ALL = "SELECT " + String.join(", ", COLUMNS) + " FROM " + NAME;

    private static final String[] FIRST = {"Anna", "Bernhard", "Chiara", "Dmitri", "Elif", "François", "Grace", "Hiroshi",
        "Ingrid", "Jonas", "Kateryna", "Luis", "Mei", "Nikolai", "Olga", "Pedro", "Quentin", "Rosa", "Sven", "Tomasz"};
    private static final String[] LAST = {"Andersson", "Baumgartner", "Castellanos", "Dubois", "Eriksen", "Fitzgerald",
        "Gonzalez", "Hoffmann", "Ivanova", "Jankowski", "Kowalczyk", "Lindqvist", "Moreau", "Nakamura", "Oliveira",
        "Petrovic", "Quiroga", "Rasmussen", "Schneider", "Thompson"};
    private static final String[] DOMAINS = {"example.com", "mail.example.org", "corp.example.net", "post.example.de"};
    private static final String[] STATUS = {"new", "active", "active", "active", "suspended", "closed"};
    private static final String LOREM = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
            + "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco "
            + "laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit "
            + "esse cillum dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa "
            + "qui officia deserunt mollit anim id est laborum.";
    private static final LocalDateTime EPOCH = LocalDateTime.of(2020, 1, 1, 0, 0);

    private BenchTable() {}

    /** Creates the table, then inserts rows 1..rows in batches of 1,000 (one multi-row INSERT each), committing every 50,000. */
    static void createAndLoad(Connection c, int rows) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(MYSQL_DDL);
        }
        SplittableRandom random = new SplittableRandom(42);
        c.setAutoCommit(false);
        String insert = "INSERT INTO " + NAME + " (" + String.join(", ", COLUMNS) + ") VALUES (?,?,?,?,?,?,?,?,?,?)";
        long start = System.nanoTime();
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            for (int id = 1; id <= rows; id++) {
                String first = FIRST[random.nextInt(FIRST.length)];
                String last = LAST[random.nextInt(LAST.length)];
                ps.setInt(1, id);
                ps.setLong(2, 1_000_000_000_000L + random.nextLong(9_000_000_000_000L));
                ps.setString(3, first + " " + last + " " + Long.toString(random.nextLong(1L << 40), 36));
                ps.setString(4, first.toLowerCase() + "." + last.toLowerCase() + id + "@" + DOMAINS[random.nextInt(DOMAINS.length)]);
                ps.setBigDecimal(5, BigDecimal.valueOf(random.nextLong(10_000_000_000L), 2));
                ps.setDouble(6, random.nextDouble() * 1000);
                LocalDateTime created = EPOCH.plusNanos(random.nextLong(4L * 365 * 86_400_000L) * 1_000_000L);
                ps.setObject(7, created);
                ps.setObject(8, random.nextInt(20) == 0 ? null : created.plusNanos(random.nextLong(86_400_000L) * 1_000_000L));
                int from = random.nextInt(LOREM.length() - 140);
                ps.setString(9, LOREM.substring(from, from + 105 + random.nextInt(31)));
                ps.setString(10, STATUS[random.nextInt(STATUS.length)]);
                ps.addBatch();
                if (id % 1000 == 0 || id == rows) {
                    ps.executeBatch();
                }
                if (id % 50_000 == 0 || id == rows) {
                    c.commit();
                }
                if (id % 250_000 == 0) {
                    Bench.log(String.format("  loaded %,d rows (%.0f rows/s)", id, id / ((System.nanoTime() - start) / 1e9)));
                }
            }
        }
        c.setAutoCommit(true);
    }
}
