package io.cachet.portal.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Cachet customer portal", description = "The order page (/order), the personal links"
        + " e-mailed to the persons an order names and the order's status page they open.")
public @interface PortalConfiguration {

    @AttributeDefinition(name = "Public base URL", required = false, description = "Where customers reach this"
            + " server, e.g. https://cachet.example.fr: personal links in e-mails start with it. Empty ="
            + " http://localhost:<HTTP port> (fine on one machine only: set it for any real deployment)")
    String publicBaseUrl() default "";

    @AttributeDefinition(name = "Status link validity (days)", min = "1", max = "365", description = "How long the"
            + " link to an order's status page opens; an expired link offers to send a fresh one")
    int statusLinkDays() default 30;

    @AttributeDefinition(name = "Orders per client and hour", min = "1", description = "Orders and fresh-link"
            + " requests one client address may send through the pages in an hour (each counted apart); more are"
            + " refused with 429. Behind a reverse proxy every client has the proxy's address: raise it or limit at"
            + " the proxy")
    int submissionsPerHour() default 10;

    @AttributeDefinition(name = "Reminders before expiry (days)", description = "How many days before an open order"
            + " expires (the order service's expiryDays after submission) each of its persons is e-mailed a reminder"
            + " with a fresh link to the status page, separated by commas (e.g. 7,1): one reminder per value, each once"
            + " per order (an order that crosses several at once gets one); 0 or empty = no reminder. Keep them well"
            + " under expiryDays: an order gets no reminder sooner than a day after its submission")
    String reminderDays() default "7,1";

    @AttributeDefinition(name = "Reminder sweep interval (seconds)", min = "10", max = "86400", description = "How"
            + " often the reminder job looks for orders whose deadline is near")
    int reminderSweepSeconds() default 3600;
}
