package io.cachet.api.brand;

import java.net.URL;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A brand, registered as a service with the property {@link #ID} equal to {@link #id()}.
 * Implementations are immutable and thread-safe.
 *
 * <p>Besides its name, colour and contact, the active brand can change every page (see
 * {@link io.cachet.api.web.Pages}): any template, any message, the logo and the colours. The default methods
 * read files of the brand's bundle (the implementing class's class loader) under {@code brand/}:
 * <ul>
 * <li>{@code brand/templates/<namespace>/<name>.ftlh} replaces that template, e.g.
 * {@code brand/templates/cachet/layout.ftlh} the layout of every page, {@code brand/templates/cachet/home.ftlh}
 * the home page;</li>
 * <li>{@code brand/messages_fr.properties}, {@code brand/messages_en.properties} (UTF-8) replace any message by
 * its key;</li>
 * <li>{@code brand/logo.svg} is the logo shown in the header of every page.</li>
 * </ul>
 */
@ConsumerType
public interface Brand {

    /** Service property naming the brand. */
    String ID = "brand.id";

    /** Stable identifier, lower case, e.g. {@code default}, {@code acme}. */
    String id();

    /** The service name shown to customers, e.g. {@code Cachet}. */
    String displayName();

    /** Main colour as CSS hex, e.g. {@code #0b3d91}. */
    String primaryColour();

    /** Where customers get help (an e-mail address). */
    String supportEmail();

    /**
     * The brand's colours as CSS hex ({@code #rrggbb}) by role, published to every page's stylesheet as CSS
     * custom properties {@code --brand-<role>}. Roles the layout uses: {@code primary} (header, buttons),
     * {@code accent} (links, focus ring). Text colours drawn on them are chosen by the pages for a contrast of at
     * least 4.5:1, and a colour too light to be read on white is not used for text. Roles are lower case
     * letters and {@code -}; other values are ignored.
     *
     * @since 1.1
     */
    default Map<String, String> colours() {
        return Map.of("primary", primaryColour());
    }

    /**
     * The brand's replacement for a page template, e.g. {@code cachet/layout.ftlh}, {@code console/login.ftlh}.
     *
     * @return the template, or null to keep the page's own
     * @since 1.1
     */
    default URL template(String name) {
        return resource("brand/templates/" + name);
    }

    /**
     * The brand's messages for a language ({@code fr}, {@code en}): a properties file (UTF-8) whose keys replace
     * the pages' own.
     *
     * @return the file, or null when the brand changes no message in that language
     * @since 1.1
     */
    default URL messages(String language) {
        return resource("brand/messages_" + language + ".properties");
    }

    /**
     * The brand's logo: SVG ({@code .svg}), PNG ({@code .png}) or WebP ({@code .webp}), told by the file name.
     *
     * @return the image, or null for the name alone
     * @since 1.1
     */
    default URL logo() {
        return resource("brand/logo.svg");
    }

    private URL resource(String path) {
        ClassLoader loader = getClass().getClassLoader();
        return loader == null ? null : loader.getResource(path);
    }
}
