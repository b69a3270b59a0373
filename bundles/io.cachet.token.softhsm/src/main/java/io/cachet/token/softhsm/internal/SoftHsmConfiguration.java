package io.cachet.token.softhsm.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Cachet SoftHSM2 token driver", description = "Registers the token driver 'softhsm' "
        + "on the SoftHSM2 module while this configuration exists (none by default). Where SoftHSM2 keeps its "
        + "tokens is set by the SOFTHSM2_CONF environment variable of the Cachet process (default "
        + "/etc/softhsm/softhsm2.conf).")
public @interface SoftHsmConfiguration {

    @AttributeDefinition(name = "Library", description = "Path of the SoftHSM2 PKCS#11 module")
    String library() default SoftHsm.DEFAULT_LIBRARY;

    @AttributeDefinition(name = "Sessions per token", min = "1", max = "64", description = "How many operations "
            + "a logged-in token runs at once")
    int poolSize() default 4;

    @AttributeDefinition(name = "Borrow timeout (ms)", min = "1", description = "How long an operation waits for "
            + "a free session before failing with BUSY")
    long borrowTimeoutMillis() default 5000;
}
