package io.cachet.api.web;

import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An entry of the operator console's navigation, contributed by the bundle that serves the page (whiteboard:
 * register it as an OSGi service). The console shell shows the entries an operator's roles allow, by
 * {@link #rank()}; the page itself is the contributor's servlet under {@code /console/}, which still checks
 * access with {@link ConsoleAccess} on every request.
 */
@ConsumerType
public interface ConsolePage {

    /** The page's path, under {@code /console/}, e.g. {@code /console/orders}. */
    String path();

    /**
     * The message key of its title in the navigation, e.g. {@code order-console.nav}: looked up in the active
     * brand's messages, then in the {@linkplain #namespace() namespace}'s, then in the framework's.
     */
    String titleKey();

    /**
     * The {@link PageSource} namespace whose messages hold {@link #titleKey()}. By default the key's first segment
     * (keys are prefixed with their namespace): {@code order-console} for {@code order-console.nav}.
     */
    default String namespace() {
        String key = titleKey();
        int dot = key == null ? -1 : key.indexOf('.');
        return dot > 0 ? key.substring(0, dot) : key;
    }

    /** The roles of which an operator needs one to see the entry; empty for every operator. */
    default Set<String> roles() {
        return Set.of();
    }

    /** Position in the navigation, smallest first. */
    default int rank() {
        return 100;
    }
}
