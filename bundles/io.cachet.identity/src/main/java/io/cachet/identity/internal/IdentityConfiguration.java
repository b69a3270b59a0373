package io.cachet.identity.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Cachet identity proofing", description = "Identity cases of the persons an order"
        + " names: which proofing provider a case uses, attempts, operator review, e-mails, evidence retention."
        + " Changes apply while running; a case keeps the provider its first attempt started with.")
public @interface IdentityConfiguration {

    @AttributeDefinition(name = "Default provider", description = "Id of the provider (service property"
            + " cachet.identity.provider) a case uses when no rule below applies, e.g. mobile or vendor")
    String defaultProvider() default "mobile";

    @AttributeDefinition(name = "Provider rules", required = false, description = "One rule per entry:"
            + " reseller:<reseller id>=<provider> or brand:<brand id>=<provider>, e.g. brand:acme=vendor,"
            + " reseller:r-123=mobile. A reseller's rule wins over a brand's; else the default provider")
    String[] providerRules() default {};

    @AttributeDefinition(name = "Attempts", min = "1", max = "10", description = "How many attempts a person has"
            + " in all (a rejection with attempts left sends a new link)")
    int maxAttempts() default 3;

    @AttributeDefinition(name = "Second approval", description = "An approval must be confirmed by a second,"
            + " different operator")
    boolean secondApproval() default false;

    @AttributeDefinition(name = "Rejection reasons", description = "Codes operators choose from; each needs the"
            + " messages identity.reason.<code> (fr, en) of the identity pages or of the brand")
    String[] rejectionReasons() default { "document-unreadable", "document-not-accepted", "copy-not-original",
            "selfie-mismatch", "data-mismatch", "image-quality", "other" };

    @AttributeDefinition(name = "Reminder delay (hours)", min = "1", max = "720", description = "A person who has"
            + " not started after this delay gets one reminder with a fresh link")
    int reminderHours() default 48;

    @AttributeDefinition(name = "Link validity (days)", min = "1", max = "90", description = "How long an identity"
            + " link opens; an expired link offers a fresh one")
    int linkValidityDays() default 7;

    @AttributeDefinition(name = "Evidence retention", description = "How long the evidence (images, machine"
            + " readable zone) is kept after the order ended (active, cancelled, rejected or expired), as an ISO-8601"
            + " period, e.g. P7Y (seven years), P6M, P30D; then it is purged and the purge audited")
    String retention() default "P7Y";

    @AttributeDefinition(name = "Upload limit (MB)", min = "1", max = "50", description = "Largest image accepted")
    int uploadLimitMb() default 10;

    @AttributeDefinition(name = "Proofing level", description = "The level the cases claim, recorded with each,"
            + " e.g. the ETSI TS 119 461 baseline 0.4.0.19461.1.1")
    String proofingLevel() default "0.4.0.19461.1.1";

    @AttributeDefinition(name = "Accepted documents", required = false, description = "The catalogue of accepted"
            + " documents, one type per entry: id; MRZ format; document codes; issuing states (* = any); back"
            + " or front; fr=name; en=name, e.g. fr-cni-2021; TD1; I,ID; FRA; back; fr=Carte nationale d'identité"
            + " (depuis 2021); en=French identity card (since 2021). Empty = the built-in catalogue")
    String[] documents() default {};

    @AttributeDefinition(name = "Job interval (seconds)", min = "5", max = "3600", description = "How often the"
            + " background jobs (reminders, telling providers, retention purge) look for due work")
    int jobSeconds() default 60;
}
