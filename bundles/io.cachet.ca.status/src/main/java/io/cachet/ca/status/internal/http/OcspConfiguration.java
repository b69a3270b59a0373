package io.cachet.ca.status.internal.http;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Cachet OCSP responder", description = "The RFC 6960 responder at /ocsp. Its answers"
        + " are signed by the CA's delegated OCSP signer; their validity is the CA's ocspValidityMinutes.")
public @interface OcspConfiguration {

    @AttributeDefinition(name = "Reuse answers to requests without a nonce (seconds)", min = "0", max = "3600",
            description = "0 (the default): every answer is signed afresh. Above 0: a request about one certificate"
                    + " without a nonce (RFC 5019's lightweight profile: browsers, TLS stacks) gets the answer signed"
                    + " for the same certificate up to this many seconds before, while its status is unchanged (a"
                    + " revocation is answered at once); never more than a quarter of the OCSP validity. Requests"
                    + " with a nonce, as Cachet's own signing sends, are always signed afresh. Raises the answers a"
                    + " node gives per second several times; a relying party that makes LT signatures without a"
                    + " nonce may then get an answer produced before its time-stamp.")
    int reuseSeconds() default 0;
}
