package io.cachet.signature.internal;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;

import eu.europa.esig.dss.xml.common.DocumentBuilderFactoryBuilder;
import eu.europa.esig.dss.xml.common.TransformerFactoryBuilder;
import eu.europa.esig.dss.xml.common.XmlDefinerUtils;

/**
 * EU DSS's secure XML factories, built once per thread instead of at every use. DSS builds a new
 * {@link DocumentBuilderFactory} (a service look-up, then each XXE protection set feature by feature) for every DOM it
 * parses or creates, and a new {@link TransformerFactory} for every node it serialises: about a quarter of a XAdES-B
 * detached signature of a 1 MiB file (JFR). The factories are DSS's own builders' products, so every protection DSS
 * sets is there; only the reuse is new. Per thread, because the JAXP factories are not specified as thread-safe;
 * {@code newDocumentBuilder()} and {@code newTransformer()} still give each use a parser or transformer of its own.
 *
 * <p>The builders are DSS's global setting ({@link XmlDefinerUtils}), installed once for this bundle, whose class
 * loader holds its copy of DSS. The factories hold no class of this bundle, so a thread that outlives the bundle keeps
 * nothing of it.
 */
final class XmlFactories {

    private static final ThreadLocal<DocumentBuilderFactory> DOCUMENT_BUILDER_FACTORIES = new ThreadLocal<>();
    private static final ThreadLocal<TransformerFactory> TRANSFORMER_FACTORIES = new ThreadLocal<>();

    static {
        XmlDefinerUtils.getInstance().setDocumentBuilderFactoryBuilder(new PerThreadDocumentBuilderFactory());
        XmlDefinerUtils.getInstance().setTransformerFactoryBuilder(new PerThreadTransformerFactory());
    }

    private XmlFactories() {
    }

    /** Installs the builders (once: the class's initialisation does it). */
    static void install() {
        // the static initialiser ran
    }

    /** This thread's factory from {@code cache}, made by {@code make} at its first use on the thread. */
    private static <F> F perThread(ThreadLocal<F> cache, java.util.function.Supplier<F> make) {
        F factory = cache.get();
        if (factory == null) {
            factory = make.get();
            cache.set(factory);
        }
        return factory;
    }

    private static final class PerThreadDocumentBuilderFactory extends DocumentBuilderFactoryBuilder {
        @Override
        public DocumentBuilderFactory build() {
            return perThread(DOCUMENT_BUILDER_FACTORIES, super::build);
        }
    }

    private static final class PerThreadTransformerFactory extends TransformerFactoryBuilder {
        @Override
        public TransformerFactory build() {
            return perThread(TRANSFORMER_FACTORIES, super::build);
        }
    }
}
