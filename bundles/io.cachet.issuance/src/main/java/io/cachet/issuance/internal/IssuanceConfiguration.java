package io.cachet.issuance.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Cachet issuance", description = "The ISSUANCE step of orders: where cloud orders' keys"
        + " are made, and how issuance is retried while the CA cannot issue.")
public @interface IssuanceConfiguration {

    @AttributeDefinition(name = "Token driver", description = "LDAP filter selecting the token driver of the cloud"
            + " keys, e.g. (token.driver=soft) or (token.driver=softhsm)")
    String tokenDriver_target() default "(token.driver=soft)";

    @AttributeDefinition(name = "Token label", description = "Label of the cloud key token on that driver; a blank"
            + " token is initialised with this label at the first cloud issuance when none exists")
    String tokenLabel() default "Cachet Cloud Keys";

    @AttributeDefinition(name = "PIN file", required = false, description = "File holding the cloud key token's user"
            + " PIN sealed with the master key; empty = secrets/cloud-token.pin in the data directory")
    String pinFile() default "";

    @AttributeDefinition(name = "Key algorithm", description = "Algorithm of the cloud keys", options = {
        @Option(label = "EC P-256", value = "EC_P256"), @Option(label = "EC P-384", value = "EC_P384"),
        @Option(label = "RSA 3072", value = "RSA_3072"), @Option(label = "RSA 4096", value = "RSA_4096") })
    String keyAlgorithm() default "EC_P256";

    @AttributeDefinition(name = "Lease (seconds)", min = "10", description = "How long a node keeps a cloud issuance"
            + " it took before another node may take it over (it died)")
    int leaseSeconds() default 120;

    @AttributeDefinition(name = "First retry (seconds)", min = "1", description = "Wait after the first failed"
            + " attempt (the CA unavailable, say); doubled after each further failure")
    int initialBackoffSeconds() default 5;

    @AttributeDefinition(name = "Longest wait between retries (seconds)", min = "1")
    int maxBackoffSeconds() default 300;

    @AttributeDefinition(name = "Job interval (seconds)", min = "1", description = "How often due issuances are"
            + " looked for (entering ISSUANCE starts one at once)")
    int jobSeconds() default 5;
}
