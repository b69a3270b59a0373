package io.cachet.token.soft.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Cachet software token", description = "The embedded token driver 'soft': each token "
        + "is a PKCS#12 file protected by its user PIN, for machines without an HSM. Keys are protected by "
        + "encryption at rest, not by hardware: not a qualified signature creation device.")
public @interface SoftTokenConfiguration {

    @AttributeDefinition(name = "Directory", required = false, description = "Where the token files are; empty = "
            + "the tokens folder of the data directory (framework property cachet.data)")
    String directory() default "";

    @AttributeDefinition(name = "Slots", min = "1", max = "1000", description = "Number of slots, each holding one "
            + "token; the lowest free slot is offered as a blank token")
    int slots() default SoftTokenDriver.DEFAULT_SLOTS;
}
