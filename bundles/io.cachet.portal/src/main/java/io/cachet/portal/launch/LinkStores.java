package io.cachet.portal.launch;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Predicate;

import io.cachet.api.audit.AuditLog;
import io.cachet.api.link.PersonalLinks;
import io.cachet.api.store.Database;
import io.cachet.portal.internal.LinkStore;

/** The personal links on a database, outside OSGi (their tables migrated on opening). */
public final class LinkStores {

    private LinkStores() {
    }

    /**
     * @param baseUrl public base URL links start with, e.g. {@code https://cachet.example.fr} (no trailing slash)
     * @param orderEnded whether an order has ended (no fresh link is then sent)
     */
    public static PersonalLinks open(Database database, AuditLog audit, Clock clock, SecureRandom random,
            String baseUrl, Predicate<String> orderEnded) {
        LinkStore.migrate(database);
        return new LinkStore(database, audit, clock, random, baseUrl, orderEnded);
    }
}
