package io.cachet.api.web;

import java.net.URL;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The templates, messages and assets a bundle contributes to the pages, under one namespace. Register it as
 * an OSGi service (whiteboard); {@link Pages} picks it up and lets it go with its bundle.
 *
 * <p>Files live in the contributing bundle under {@code pages/<namespace>/}:
 * <ul>
 * <li>templates, {@code <name>.ftlh} (FreeMarker, HTML auto-escaping), named {@code <namespace>/<name>.ftlh}
 * when rendered or imported, e.g. {@code console/login.ftlh};</li>
 * <li>messages, {@code messages_fr.properties} and {@code messages_en.properties} (UTF-8), keys prefixed
 * with the namespace ({@code console.login.title}) since a brand overrides them in one flat file;</li>
 * <li>assets, {@code assets/<file>} (CSS, images), served with long-lived caching at a versioned URL.</li>
 * </ul>
 * The default {@link #resource(String)} reads them with the implementing class's class loader, so an
 * implementation usually only names its namespace. Implementations are thread-safe.
 */
@ConsumerType
public interface PageSource {

    /** Service property a source may carry with its {@link #namespace()}, to be selected by filter. */
    String NAMESPACE = "cachet.pages.namespace";

    /**
     * The namespace of this source's templates, messages and assets: lower case letters, digits and
     * {@code -}, unique among the installed sources, e.g. {@code console}. {@code cachet} is the pages
     * framework's own (layout, home page, errors).
     */
    String namespace();

    /**
     * A file of this source, by its path under {@code pages/<namespace>/}, e.g. {@code login.ftlh},
     * {@code messages_en.properties}, {@code assets/queue.css}.
     *
     * @return where to read it, or null when this source has no such file
     */
    default URL resource(String path) {
        ClassLoader loader = getClass().getClassLoader();
        return loader == null ? null : loader.getResource("pages/" + namespace() + "/" + path);
    }
}
