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

    /** The message key of its title in the navigation, looked up like any page message, e.g. {@code order.console.nav}. */
    String titleKey();

    /** The roles of which an operator needs one to see the entry; empty for every operator. */
    default Set<String> roles() {
        return Set.of();
    }

    /** Position in the navigation, smallest first. */
    default int rank() {
        return 100;
    }
}
