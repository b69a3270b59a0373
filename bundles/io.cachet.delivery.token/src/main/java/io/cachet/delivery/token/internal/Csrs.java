package io.cachet.delivery.token.internal;

import java.io.IOException;
import java.util.Base64;

import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

import io.cachet.api.delivery.DeliveryException;
import io.cachet.api.delivery.DeliveryException.Kind;

/** PKCS#10 requests as the station sends them: parsed, and their proof of possession (signature) verified. */
final class Csrs {

    private Csrs() {
    }

    /** @param spkiBase64 the request's SubjectPublicKeyInfo, Base64 DER */
    record Request(String spkiBase64) {
    }

    /** @throws DeliveryException {@code INVALID} when it is not a request or its signature does not verify */
    static Request parse(String pem) {
        byte[] der = PinCrypto.der(pem, "CERTIFICATE REQUEST");
        if (der == null) {
            der = PinCrypto.der(pem, "NEW CERTIFICATE REQUEST");
        }
        if (der == null) {
            throw new DeliveryException(Kind.INVALID, "'csr' must be a PKCS#10 certification request in PEM"
                    + " (-----BEGIN CERTIFICATE REQUEST-----).");
        }
        PKCS10CertificationRequest request;
        try {
            request = new PKCS10CertificationRequest(der);
        } catch (IOException | RuntimeException e) {
            throw new DeliveryException(Kind.INVALID, "'csr' is not a readable PKCS#10 certification request.");
        }
        java.security.PublicKey key;
        try {
            // as the JDK reads and encodes it, like the key registered in step 4; verified with the JDK's own
            // providers (no BouncyCastle provider is installed)
            key = PinCrypto.publicKey(request.getSubjectPublicKeyInfo().getEncoded());
        } catch (IOException e) {
            key = null;
        }
        if (key == null) {
            throw new DeliveryException(Kind.INVALID, "The request's public key is neither RSA nor EC.");
        }
        try {
            boolean valid = request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
            if (!valid) {
                throw new DeliveryException(Kind.INVALID, "The request's signature does not verify with its public"
                        + " key: it was not signed by the token's key.");
            }
            return new Request(Base64.getEncoder().encodeToString(key.getEncoded()));
        } catch (OperatorCreationException | PKCSException e) {
            throw new DeliveryException(Kind.INVALID, "The request's signature cannot be verified: " + e.getMessage());
        }
    }
}
