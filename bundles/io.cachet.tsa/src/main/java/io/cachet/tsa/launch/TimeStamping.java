package io.cachet.tsa.launch;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import io.cachet.api.audit.AuditAnchorSigner;
import io.cachet.api.ca.TimeStampKey;
import io.cachet.tsa.internal.Rfc3161AnchorSigner;
import io.cachet.tsa.internal.TimeStampAuthority;

/** The RFC 3161 TSA and the audit anchor signer that has anchors time-stamped, without an OSGi framework. */
public final class TimeStamping {

    private TimeStamping() {
    }

    /**
     * The RFC 3161 TSA signing with {@code key} (e.g. {@code LocalCa.timeStampKey(policyOid)}): a DER TimeStampReq
     * in, a DER TimeStampResp out (never throws: bad requests get a rejection).
     *
     * @throws IllegalArgumentException when the key's policy is not an OID
     */
    public static UnaryOperator<byte[]> authority(TimeStampKey key, Clock clock) {
        TimeStampAuthority tsa = new TimeStampAuthority(key, clock);
        return tsa::respond;
    }

    /**
     * The audit anchor signer that has anchors time-stamped ({@code rfc3161}).
     *
     * @param tsa answers time-stamp requests (see {@link #authority}); {@code null} to check anchors only
     * @param trustedIssuers the CA certificates a time-stamp's TSA certificate must be issued by
     */
    public static AuditAnchorSigner anchorSigner(UnaryOperator<byte[]> tsa,
            Supplier<List<X509Certificate>> trustedIssuers) {
        return new Rfc3161AnchorSigner(tsa == null ? null : tsa::apply, Objects.requireNonNull(trustedIssuers));
    }
}
