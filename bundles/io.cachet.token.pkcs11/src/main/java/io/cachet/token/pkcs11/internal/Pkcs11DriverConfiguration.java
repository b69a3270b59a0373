package io.cachet.token.pkcs11.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Cachet PKCS#11 token driver", description = "A token driver on any PKCS#11 v2.40 "
        + "module, with standard PKCS#11 only (no vendor extensions). One configuration per module; vendors with a "
        + "profile bundle (SoftHSM2, SafeNet eToken) have their own configuration instead.")
public @interface Pkcs11DriverConfiguration {

    @AttributeDefinition(name = "Library", description = "Absolute path of the vendor's PKCS#11 module, e.g. "
            + "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so")
    String library();

    @AttributeDefinition(name = "Driver id", description = "Value of the token.driver service property that "
            + "deployments select this driver by; unique per running Cachet")
    String token_driver();

    @AttributeDefinition(name = "Sessions per token", min = "1", max = "64", description = "How many operations "
            + "a logged-in token runs at once")
    int poolSize() default 4;

    @AttributeDefinition(name = "Borrow timeout (ms)", min = "1", description = "How long an operation waits for "
            + "a free session before failing with BUSY")
    long borrowTimeoutMillis() default 5000;

    @AttributeDefinition(name = "Capabilities", description = "What the module's tokens can do beyond the basics: "
            + "RSA_PSS, EC_P384, RSA_4096. PIN policy capabilities need a vendor profile and are refused here",
            required = false)
    String[] capabilities() default {};
}
