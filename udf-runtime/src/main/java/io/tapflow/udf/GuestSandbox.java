package io.tapflow.udf;

import io.tapflow.dsl.UdfLimits;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.io.IOAccess;

/**
 * Contexts for user code: no host classes or objects (rows reach guest code as proxies), no threads, processes,
 * native code or environment variables, and no files or network unless the pipeline allows I/O.
 */
public final class GuestSandbox {
    private GuestSandbox() {}

    public static Context newContext(GuestLanguage language, UdfLimits limits) {
        return Context.newBuilder(language.id())
                .engine(GuestEngine.shared())
                .allowHostAccess(HostAccess.NONE)
                .allowHostClassLookup(className -> false)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowIO(limits.allowIo() ? IOAccess.ALL : IOAccess.NONE)
                .build();
    }
}
