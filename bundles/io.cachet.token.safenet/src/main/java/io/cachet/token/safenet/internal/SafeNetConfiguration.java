package io.cachet.token.safenet.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Cachet SafeNet eToken driver", description = "Registers the token driver 'safenet' "
        + "for SafeNet eTokens (5110/5300 class) while this configuration exists (none by default) and SafeNet "
        + "Authentication Client is installed. An empty configuration probes SAC's default library paths.")
public @interface SafeNetConfiguration {

    @AttributeDefinition(name = "Library", required = false, description = "Path of SAC's PKCS#11 module; empty "
            + "probes /usr/lib/libeTPkcs11.so, /usr/lib64/libeTPkcs11.so, /usr/lib/libIDPrimePKCS11.so (Linux), "
            + "/usr/local/lib/libeTPkcs11.dylib (macOS), C:\\Windows\\System32\\eTPKCS11.dll (Windows)")
    String library() default "";

    @AttributeDefinition(name = "Sessions per token", min = "1", max = "64", description = "How many operations "
            + "a logged-in token runs at once; a USB token works one at a time, so more only queue in the module")
    int poolSize() default 2;

    @AttributeDefinition(name = "Borrow timeout (ms)", min = "1", description = "How long an operation waits for "
            + "a free session before failing with BUSY (an eToken takes about a second per RSA signature)")
    long borrowTimeoutMillis() default 30000;

    @AttributeDefinition(name = "Model capabilities", required = false, description = "What the token model adds: "
            + "EC_P384 (IDPrime-based models such as the 5110 CC), RSA_PSS")
    String[] modelCapabilities() default {"EC_P384"};
}
