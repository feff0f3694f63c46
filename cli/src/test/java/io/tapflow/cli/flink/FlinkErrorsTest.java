package io.tapflow.cli.flink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Flink's REST error bodies (stack traces as strings) boil down to the sentence that explains them. */
class FlinkErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void mainMethodFailureGivesTheJobsOwnMessage() throws Exception {
        String body = "{\"errors\":[\"org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.\\n"
                + "\\tat org.apache.flink.runtime.webmonitor.handlers.JarRunHandler.lambda$handleRequest$1(JarRunHandler.java:114)\\n"
                + "Caused by: org.apache.flink.client.program.ProgramInvocationException: The main method caused an error: "
                + "datasource 'src' (mysql at db:3306): database 'shop' does not exist\\n\\tat org.apache.flink.client.Foo.bar(Foo.java:1)\\n"
                + "Caused by: io.tapflow.dsl.TapflowException: datasource 'src' (mysql at db:3306): database 'shop' does not exist\\n"
                + "Caused by: java.sql.SQLSyntaxErrorException: Unknown database 'shop'\"]}";
        assertThat(FlinkErrors.of(JSON.readTree(body), body)).isEqualTo("datasource 'src' (mysql at db:3306): database 'shop' does not exist");
    }

    @Test
    void otherwiseTheDeepestCause() throws Exception {
        String body = "{\"errors\":[\"java.util.concurrent.CompletionException: x\\nCaused by: java.lang.IllegalStateException: outer\\n"
                + "Caused by: java.io.FileNotFoundException: Cannot find checkpoint or savepoint file/directory '/sp/x' on file system 'file'.\"]}";
        assertThat(FlinkErrors.of(JSON.readTree(body), body))
                .isEqualTo("Cannot find checkpoint or savepoint file/directory '/sp/x' on file system 'file'.");
    }

    @Test
    void plainErrorsAreShownAsTheyAre() throws Exception {
        String body = "{\"errors\":[\"Job could not be found.\"]}";
        assertThat(FlinkErrors.of(JSON.readTree(body), body)).isEqualTo("Job could not be found.");
    }
}
