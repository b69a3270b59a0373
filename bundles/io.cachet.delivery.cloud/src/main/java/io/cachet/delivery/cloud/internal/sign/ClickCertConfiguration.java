package io.cachet.delivery.cloud.internal.sign;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Click&amp;Cert's configuration (PID {@value ClickCertSettings#PID}), changed while running. */
@ObjectClassDefinition(name = "Cachet Click&Cert", description = "The customer space's PDF sealing page: upload"
        + " limit, PAdES level, how long signed documents stay downloadable")
public @interface ClickCertConfiguration {

    @AttributeDefinition(name = "Upload limit (MB)", description = "The largest PDF a holder may upload", min = "1",
            max = "200")
    int maxUploadMegabytes() default 20;

    @AttributeDefinition(name = "PAdES level", description = "Level of the seals made (T and above are time-stamped"
            + " by Cachet's TSA; LT adds validation data; LTA an archive time-stamp)", options = {
        @Option(label = "B", value = "B"), @Option(label = "T", value = "T"), @Option(label = "LT", value = "LT"),
        @Option(label = "LTA", value = "LTA") })
    String level() default "LT";

    @AttributeDefinition(name = "History (days)", description = "How long a signed document stays in the history"
            + " for re-download; then it is purged", min = "1", max = "3650")
    int historyDays() default 30;

    @AttributeDefinition(name = "Unsigned documents (minutes)", description = "How long an uploaded document that is"
            + " not signed is kept; then it is purged", min = "5", max = "10080")
    int pendingMinutes() default 60;

    @AttributeDefinition(name = "Purge period (seconds)", description = "How often documents due are purged",
            min = "1")
    int jobSeconds() default 300;
}
