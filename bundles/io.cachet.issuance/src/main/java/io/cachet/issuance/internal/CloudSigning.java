package io.cachet.issuance.internal;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.SealCertificateRequest;
import io.cachet.api.issuance.Issuance;
import io.cachet.api.issuance.IssuanceException;
import io.cachet.api.signature.SigningKey;
import io.cachet.api.token.Token;

/** The rules of {@link io.cachet.api.issuance.CloudSigningKeys#signingKey}, apart from the framework. */
final class CloudSigning {
    private CloudSigning() {
    }

    /**
     * @param issuance the order's issuance, if it entered ISSUANCE
     * @param certificate the order's certificate as the CA knows it now, if one was issued
     * @param chain the CA's chain, issuing CA first
     * @param view the token view of a key alias
     */
    static SigningKey key(String orderId, Optional<Issuance> issuance, Optional<IssuedCertificate> certificate,
            List<X509Certificate> chain, Instant now, Function<String, Token> view) {
        Issuance i = issuance.filter(x -> x.profile() == SealCertificateRequest.Profile.CLOUD)
                .filter(x -> x.status() == Issuance.Status.ISSUED && x.keyAlias().isPresent())
                .orElseThrow(() -> new IssuanceException(IssuanceException.Kind.NOT_FOUND,
                        "No cloud certificate was issued for order " + orderId + "."));
        IssuedCertificate c = certificate.orElseThrow(() -> new IssuanceException(IssuanceException.Kind.NOT_FOUND,
                "No cloud certificate was issued for order " + orderId + "."));
        if (c.revoked()) {
            throw new IssuanceException(IssuanceException.Kind.CONFLICT, "The certificate of order " + orderId
                    + " is revoked: its key no longer signs.");
        }
        X509Certificate x = c.certificate();
        if (now.isAfter(x.getNotAfter().toInstant())) {
            throw new IssuanceException(IssuanceException.Kind.CONFLICT, "The certificate of order " + orderId
                    + " expired on " + x.getNotAfter().toInstant() + ": its key no longer signs.");
        }
        if (now.isBefore(x.getNotBefore().toInstant())) {
            throw new IssuanceException(IssuanceException.Kind.CONFLICT, "The certificate of order " + orderId
                    + " is not valid before " + x.getNotBefore().toInstant() + ".");
        }
        String alias = i.keyAlias().get();
        return new SigningKey(view.apply(alias), alias, chain);
    }
}
