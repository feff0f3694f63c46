package io.tapflow.flink.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapflow.dsl.DataSource;
import io.tapflow.dsl.InvalidDefinitionException;
import io.tapflow.dsl.NameCase;
import io.tapflow.dsl.Pipeline;
import io.tapflow.flink.connector.SourceTables;
import io.tapflow.flink.schema.Column;
import io.tapflow.flink.schema.TableSchema;
import io.tapflow.flink.schema.TargetTable;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Target table names a rename_tables step's case gives, and the collisions it can cause, on inspected schemas. */
class TableNameCasePlanningTest {
    private static final DataSource CHINOOK = DataSource.of("mysql", "chinook");
    private static final DataSource ES = DataSource.of("elasticsearch", "search");
    private static final Column ID = new Column("id", "int", "int(11)", -1, 10, 0, false, false);
    private static final TableSchema INVOICE = new TableSchema("chinook", "Invoice", List.of(ID), List.of("id"));
    private static final TableSchema PLAYLIST_TRACK = new TableSchema("chinook", "PlaylistTrack", List.of(ID), List.of("id"));
    private static final TableSchema LOWER_INVOICE = new TableSchema("chinook", "invoice", List.of(ID), List.of("id"));

    @Test
    void lowerCaseAppliesToTheWholeNameAfterPrefixAndSuffix() {
        Pipeline p = Pipeline.named("p").readFrom(CHINOOK.table("Invoice"), CHINOOK.table("PlaylistTrack"))
                .renameTables("Ods_", "", NameCase.LOWER).writeTo(ES);
        assertThat(JobPlanner.targetTables(p, List.of(source(INVOICE, PLAYLIST_TRACK))))
                .extracting(TargetTable::name).containsExactly("ods_invoice", "ods_playlisttrack");
    }

    @Test
    void upperCaseAndUnchanged() {
        Pipeline upper = Pipeline.named("p").readFrom(CHINOOK.table("Invoice")).renameTables("", "_v1", NameCase.UPPER).writeTo(ES);
        Pipeline unchanged = Pipeline.named("p").readFrom(CHINOOK.table("Invoice")).renameTables("x_", "", NameCase.UNCHANGED).writeTo(ES);
        assertThat(JobPlanner.targetTables(upper, List.of(source(INVOICE)))).extracting(TargetTable::name).containsExactly("INVOICE_V1");
        assertThat(JobPlanner.targetTables(unchanged, List.of(source(INVOICE)))).extracting(TargetTable::name).containsExactly("x_Invoice");
    }

    @Test
    void twoTablesThatOnlyTheCaseChangeMakesOneAreRefusedNamingBoth() {
        Pipeline p = Pipeline.named("p").readFrom(CHINOOK.table("Invoice"), CHINOOK.table("invoice"))
                .renameTables("", "", NameCase.LOWER).writeTo(ES);
        assertThatThrownBy(() -> JobPlanner.targetTables(p, List.of(source(INVOICE, LOWER_INVOICE))))
                .isInstanceOfSatisfying(InvalidDefinitionException.class, e -> assertThat(e.problems()).containsExactly(
                        "source tables chinook.Invoice and chinook.invoice both go to target table invoice only because "
                                + "rename_tables changes the case of their names (Invoice, invoice); leave one out (exclude "
                                + "or a narrower table list), or, for a union, name the one target table with "
                                + "writeTo(ds.table(\"name\"))"));
    }

    /** A union names its target table; lower-casing that name keeps it one union. */
    @Test
    void aUnionIntoANamedTableStaysAUnion() {
        Pipeline p = Pipeline.named("p").readFrom(CHINOOK.table("Invoice"), CHINOOK.table("invoice"))
                .renameTables("", "", NameCase.LOWER).writeTo(ES.table("AllInvoices"));
        assertThat(JobPlanner.targetTables(p, List.of(source(INVOICE, LOWER_INVOICE))))
                .extracting(TargetTable::name).containsExactly("allinvoices", "allinvoices");
    }

    private static JobPlan.Source source(TableSchema... tables) {
        return new JobPlan.Source(CHINOOK, new SourceTables(List.of(tables), ZoneOffset.UTC));
    }
}
