package io.tapflow.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SharedServersITCase {

    @Test
    void startsOneServerForConcurrentFirstUses() throws Exception {
        Callable<MongoTestServer> firstUse = SharedServers::mongo;
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<MongoTestServer>> uses = threads.invokeAll(Collections.nCopies(4, firstUse));

            for (Future<MongoTestServer> use : uses) {
                assertThat(use.get()).isSameAs(SharedServers.mongo());
            }
        } finally {
            threads.shutdown();
        }
    }
}
