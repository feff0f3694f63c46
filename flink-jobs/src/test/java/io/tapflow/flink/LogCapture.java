package io.tapflow.flink;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/** The lines one logger writes while a test runs (at INFO, whatever the test configuration's level), as text. */
final class LogCapture implements AutoCloseable {
    private final StringWriter lines = new StringWriter();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final String logger;

    LogCapture(Class<?> logger) {
        this.logger = logger.getName();
        Configuration config = context.getConfiguration();
        WriterAppender appender = WriterAppender.createAppender(PatternLayout.newBuilder().withPattern("%m%n").build(), null,
                lines, "capture-" + this.logger, false, true);
        appender.start();
        LoggerConfig loggerConfig = new LoggerConfig(this.logger, Level.INFO, true);
        loggerConfig.addAppender(appender, Level.INFO, null);
        config.addLogger(this.logger, loggerConfig);
        context.updateLoggers();
    }

    String text() {
        return lines.toString();
    }

    @Override
    public void close() {
        context.getConfiguration().removeLogger(logger);
        context.updateLoggers();
    }
}
