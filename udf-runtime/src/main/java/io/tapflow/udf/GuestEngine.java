package io.tapflow.udf;

import org.graalvm.polyglot.Engine;

/**
 * The one polyglot {@link Engine} of this JVM. Contexts made on a shared engine share parsed code and language
 * initialisation, which is what makes the second GraalPy context cost well under a second instead of several.
 */
public final class GuestEngine {
    private static volatile Engine shared;

    private GuestEngine() {}

    public static Engine shared() {
        Engine engine = shared;
        if (engine == null) {
            synchronized (GuestEngine.class) {
                engine = shared;
                if (engine == null) {
                    engine = Engine.newBuilder()
                            // On a stock JDK Truffle runs interpreted; the warning would show on every tapflow start.
                            .option("engine.WarnInterpreterOnly", "false")
                            .build();
                    shared = engine;
                }
            }
        }
        return engine;
    }
}
