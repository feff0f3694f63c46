/**
 * Real database servers started from Maven artifacts (MariaDB, PostgreSQL) and an in-process MongoDB emulator, each
 * replaceable by an external server named in an environment variable, and a paced change load on MariaDB for the fault
 * tests; used by ITCases, the quickstart and benchmarks.
 */
package io.tapflow.servers;
