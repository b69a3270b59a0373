package io.cachet.organisation.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Cachet organisation check", description = "The organisation check of an order's"
        + " verification: the register's extract (and mandate) the customer uploads from the order's status page, the"
        + " automatic checks, the operator's review. Changes apply while running.")
public @interface OrganisationConfiguration {

    @AttributeDefinition(name = "Upload limit (MB)", min = "1", max = "50", description = "Largest document accepted")
    int maxDocumentMb() default 10;

    @AttributeDefinition(name = "Extract age (months)", min = "1", max = "24", description = "How recent the"
            + " register's extract must be: its issue date at most this many months ago (3: a K-bis of less than"
            + " three months)")
    int maxExtractAgeMonths() default 3;

    @AttributeDefinition(name = "Job interval (seconds)", min = "5", max = "3600", description = "How often the"
            + " background job reports decisions not yet reported to their orders (the order service was away)")
    int jobSeconds() default 60;

    @AttributeDefinition(name = "Register look-up time-out (seconds)", min = "1", max = "60", description = "How long"
            + " an installed RegistryLookup may take before its check is shown as unknown")
    int registryTimeoutSeconds() default 5;
}
