package io.cachet.delivery.token.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** The token delivery's configuration (PID {@value TokenSettings#PID}), changed while running. */
@ObjectClassDefinition(name = "Cachet token delivery", description = "Provisioning of token orders, the"
        + " initialisation PIN's custody and reveal (SMS codes), the holder's activation")
public @interface TokenDeliveryConfiguration {

    @AttributeDefinition(name = "Key algorithm", description = "The seal key made on the token", options = {
        @Option(label = "EC P-256", value = "EC_P256"), @Option(label = "EC P-384", value = "EC_P384"),
        @Option(label = "RSA 3072", value = "RSA_3072"), @Option(label = "RSA 4096", value = "RSA_4096") })
    String keyAlgorithm() default "EC_P256";

    @AttributeDefinition(name = "User PIN tries", description = "Wrong PINs before the token locks for good, where"
            + " the token lets the station set it (SafeNet: 1 to 15). No PUK exists to unblock it.", min = "1",
            max = "15")
    int maxUserPinTries() default 5;

    @AttributeDefinition(name = "Initialisation PIN digits", description = "Length of the initialisation PIN the"
            + " station draws (the guide promises 4)", min = "4", max = "8")
    int pinDigits() default 4;

    @AttributeDefinition(name = "Code validity (minutes)", description = "How long an SMS code (the PIN's or a"
            + " revocation's) is valid", min = "1", max = "60")
    int codeMinutes() default 10;

    @AttributeDefinition(name = "Wrong codes", description = "Wrong SMS codes before the PIN's retrieval is locked"
            + " until support reopens it; as many lock the holder's own revocation (support revokes then)", min = "1",
            max = "10")
    int maxTries() default 3;

    @AttributeDefinition(name = "Codes per hour", description = "SMS codes (PIN and revocation together) an order"
            + " may get in an hour", min = "1", max = "20")
    int codesPerHour() default 5;

    @AttributeDefinition(name = "Activations per hour", description = "Public activation reports one client address"
            + " may make in an hour", min = "1")
    int activationsPerHour() default 20;

    @AttributeDefinition(name = "Job period (seconds)", description = "How often checks whose report failed are"
            + " reported again", min = "1")
    int jobSeconds() default 30;
}
