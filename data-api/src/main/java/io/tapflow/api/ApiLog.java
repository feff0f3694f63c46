package io.tapflow.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The data API server's log: failures of datasources and of requests, never keys or passwords. */
final class ApiLog {
    static final Logger LOG = LoggerFactory.getLogger("io.tapflow.api");

    private ApiLog() {}
}
