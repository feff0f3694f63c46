package io.tapflow.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.tapflow.flink.job.PipelineExplanation;
import io.tapflow.flink.job.PipelineExplanation.Join;
import io.tapflow.flink.job.PipelineExplanation.LookupExplanation;
import io.tapflow.flink.job.PipelineExplanation.StepColumns;
import io.tapflow.flink.job.PipelineExplanation.TargetColumn;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@code tapflow explain} words each lookup shape; ExplainCommandITCase runs it against real servers. */
class ExplainTextTest {
    @Test
    void eachLookupShapeIsSaidWithItsTargetColumns() {
        List<StepColumns> asRead = List.of(new StepColumns("source", "source", List.of("id", "name"), List.of("id")));
        PipelineExplanation e = new PipelineExplanation("v", List.of(), "dst", "mongodb", List.of(), List.of(
                new LookupExplanation("customer", "src", "d.customer", List.of("id"), List.of(new Join("customer_id", "id")),
                        "object", List.of(), asRead, List.of(new TargetColumn("customer", "embedded document"))),
                new LookupExplanation("items", "src", "d.items", List.of("id"), List.of(new Join("id", "order_id"),
                        new Join("shop", "shop")), "array", List.of("id"), asRead,
                        List.of(new TargetColumn("items", "array of embedded documents"))),
                new LookupExplanation("items.product", "src", "d.product", List.of("id"), List.of(new Join("product_id", "id")),
                        "object", List.of(), asRead, List.of())), "lenient", List.of());
        StringWriter out = new StringWriter();
        ExplainText.print(e, new PrintWriter(out, true));
        assertThat(out.toString()).contains(
                "lookup customer: table d.customer (source 'src'), key [id], joined on customer_id = id\n"
                        + "  embeds the matching row as object field 'customer' (null when none matches)\n"
                        + "  as read  id*, name\n"
                        + "  -> target column customer embedded document\n",
                "joined on id = order_id and shop = shop\n"
                        + "  embeds every matching row as array field 'items', elements ordered and identified by [id]\n",
                "lookup items.product: table d.product (source 'src'), key [id], joined on product_id = id\n"
                        + "  embeds the matching row as object field 'product' of each row embedded at 'items' (null when none matches)\n",
                "  -> no target column of its own: it is part of 'items'\n");
    }
}
