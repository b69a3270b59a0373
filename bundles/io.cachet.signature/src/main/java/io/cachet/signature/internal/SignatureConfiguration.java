package io.cachet.signature.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Cachet signatures", description = "Signing (PAdES, XAdES, CAdES) and validation:"
        + " the time limit of their HTTP exchanges with time-stamp authorities, OCSP responders and CRL or"
        + " issuer-certificate (AIA) servers.")
public @interface SignatureConfiguration {

    /** The configuration PID of both the signer and the validator. */
    String PID = "io.cachet.signature";

    @AttributeDefinition(name = "HTTP timeout (seconds)", min = "1", description = "How long one exchange with a"
            + " TSA, OCSP responder or CRL/AIA server may take (to connect, and to answer) before signing or"
            + " validation gives up on it")
    int timeoutSeconds() default 20;

    @AttributeDefinition(name = "Time-stamp authority", required = false, description = "The RFC 3161 TSA that"
            + " time-stamps signatures of level T and above when the caller names none: an http or https URL. Empty:"
            + " this server's own TSA (http://127.0.0.1:<HTTP port>/tsa, the CA's)")
    String tsaUrl() default "";
}
