package io.cachet.ca.status.launch;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import io.cachet.api.ca.CertificateStatus;
import io.cachet.api.ca.OcspKey;
import io.cachet.ca.status.internal.OcspResponder;

/** The RFC 6960 OCSP responder, without an OSGi framework. */
public final class RevocationStatus {

    private RevocationStatus() {
    }

    /**
     * The OCSP responder signing with {@code key} (e.g. {@code LocalCa.ocspKey(validity)}) about the certificates
     * whose status {@code status} gives (e.g. {@code LocalCa.issuer(...)::status}): a DER OCSPRequest in, a DER
     * OCSPResponse out (never throws: unreadable requests get {@code malformedRequest}, requests about another
     * CA's certificates {@code unauthorized}, failures {@code internalError}).
     *
     * @throws IllegalArgumentException when the key's validity is not positive
     */
    public static UnaryOperator<byte[]> ocsp(OcspKey key, Function<BigInteger, Optional<CertificateStatus>> status,
            Clock clock) {
        return ocsp(key, status, clock, Duration.ZERO);
    }

    /**
     * The same responder, giving a request about one certificate without a nonce the answer signed for it up to
     * {@code reuse} before while its status is unchanged (RFC 5019's pre-produced answers; at most a quarter of the
     * key's validity is used; zero: every answer signed afresh). What {@code /ocsp} does with its
     * {@code reuseSeconds} setting.
     *
     * @throws IllegalArgumentException when the key's validity is not positive or {@code reuse} is negative
     */
    public static UnaryOperator<byte[]> ocsp(OcspKey key, Function<BigInteger, Optional<CertificateStatus>> status,
            Clock clock, Duration reuse) {
        OcspResponder responder = new OcspResponder(key, status, clock, reuse);
        return responder::respond;
    }
}
