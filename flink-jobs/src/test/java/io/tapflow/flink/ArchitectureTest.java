package io.tapflow.flink;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The layering of CONVENTIONS.md: dsl and udf-runtime know nothing of Flink or the CLI; flink-jobs knows nothing of
 * the CLI; the data API server (data-api) knows nothing of Flink, the CLI or the guest languages, and Flink jobs nothing of it.
 */
class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tapflow");

    @Test
    void dslDependsOnNeitherFlinkNorCli() {
        noClasses().that().resideInAPackage("io.tapflow.dsl..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", "io.tapflow.flink..",
                        "io.tapflow.cli..", "picocli..")
                .check(classes);
    }

    @Test
    void udfRuntimeDependsOnNeitherFlinkNorCli() {
        noClasses().that().resideInAPackage("io.tapflow.udf..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", "io.tapflow.flink..",
                        "io.tapflow.cli..", "picocli..")
                .check(classes);
    }

    /** The data API server reads tables over JDBC and the Mongo driver: no Flink, CLI or guest languages in it. */
    @Test
    void dataApiDependsOnNeitherFlinkNorCli() {
        noClasses().that().resideInAPackage("io.tapflow.api..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.flink..", "io.tapflow.flink..",
                        "io.tapflow.cli..", "io.tapflow.udf..", "picocli..", "org.graalvm..")
                .check(classes);
        noClasses().that().resideInAPackage("io.tapflow.flink..").should().dependOnClassesThat().resideInAPackage("io.tapflow.api..")
                .check(classes);
    }

    @Test
    void flinkJobsDoNotDependOnCli() {
        noClasses().that().resideInAPackage("io.tapflow.flink..")
                .should().dependOnClassesThat().resideInAnyPackage("io.tapflow.cli..", "picocli..")
                .check(classes);
    }
}
