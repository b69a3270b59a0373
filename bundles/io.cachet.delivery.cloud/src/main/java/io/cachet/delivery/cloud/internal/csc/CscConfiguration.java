package io.cachet.delivery.cloud.internal.csc;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The CSC API's configuration (PID {@value CscSettings#PID}), changed while running. */
@ObjectClassDefinition(name = "Cachet CSC API", description = "Remote signing with the cloud seals through the Cloud"
        + " Signature Consortium API v2 under /csc/v2: access tokens, signature activation data (SAD), what 'info'"
        + " says of the service")
public @interface CscConfiguration {

    @AttributeDefinition(name = "Access token lifetime (seconds)", description = "How long a token from auth/login"
            + " is valid", min = "60", max = "86400")
    int tokenSeconds() default 3600;

    @AttributeDefinition(name = "SAD lifetime (seconds)", description = "How long a signature activation data from"
            + " credentials/authorize may be used", min = "10", max = "3600")
    int sadSeconds() default 300;

    @AttributeDefinition(name = "Signatures per authorisation", description = "The most hashes one"
            + " credentials/authorize may list (numSignatures)", min = "1", max = "1000")
    int maxSignatures() default 100;

    @AttributeDefinition(name = "Service name", description = "'name' of info")
    String name() default "Cachet";

    @AttributeDefinition(name = "Logo URL", description = "'logo' of info: the URL of the provider's logo")
    String logo() default "";

    @AttributeDefinition(name = "Region", description = "'region' of info: ISO 3166-1 alpha-2 country code")
    String region() default "FR";

    @AttributeDefinition(name = "Language", description = "'lang' of info: the language of the descriptions"
            + " (ISO 639-1)")
    String lang() default "en";

    @AttributeDefinition(name = "Description", description = "'description' of info")
    String description() default "Remote sealing with Cachet's cloud seals";
}
