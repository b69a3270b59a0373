package io.cachet.evidence.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Cachet evidence files", description = "The sealed evidence file of each order: what it"
        + " includes, and when its archive time-stamp is renewed.")
public @interface EvidenceConfiguration {

    @AttributeDefinition(name = "Include identity images", description = "Include the identity documents' and selfie"
            + " images in the evidence file; off: they are referenced by their SHA-256 (the identity case keeps them"
            + " until its retention ends)")
    boolean includeImages() default false;

    @AttributeDefinition(name = "Re-timestamping margin (days)", min = "0", description = "An archive time-stamp is"
            + " added this long before the certificate of the TSA of the newest one expires")
    int marginDays() default 180;

    @AttributeDefinition(name = "Shortest interval between archive time-stamps (hours)", min = "1")
    int minimumIntervalHours() default 24;

    @AttributeDefinition(name = "Lease (seconds)", min = "10", description = "How long a node keeps a file it works on"
            + " before another node may take it over")
    int leaseSeconds() default 300;

    @AttributeDefinition(name = "First retry (seconds)", min = "1")
    int initialBackoffSeconds() default 10;

    @AttributeDefinition(name = "Longest wait between retries (seconds)", min = "1")
    int maxBackoffSeconds() default 600;

    @AttributeDefinition(name = "Job interval (seconds)", min = "1")
    int jobSeconds() default 10;
}
