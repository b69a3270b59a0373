package io.cachet.signature.internal;

import java.util.function.Supplier;

/**
 * Runs EU DSS code with this bundle's class loader as the thread context class loader. DSS finds its parts
 * (document validators, PDF object factories, CRL parsers, utilities) with {@link java.util.ServiceLoader} through
 * the context class loader; in OSGi that is whatever the calling thread had, so every DSS call goes through here.
 */
final class Dss {

    static {
        XmlFactories.install();
    }

    private Dss() {
    }

    static <T> T call(Supplier<T> work) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Dss.class.getClassLoader());
        try {
            return work.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
