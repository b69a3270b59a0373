package io.cachet.tsa.internal;

import java.time.Clock;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cachet.api.audit.AuditAnchorSigner;
import io.cachet.api.ca.TimeStampKey;

/**
 * Anchors the audit log with time-stamps of Cachet's own TSA. Ranked above the local Ed25519 signer (0), so new
 * anchors are RFC 3161 tokens as soon as the CA runs; older anchors stay verifiable by the signer that made them.
 *
 * <p>Depends on the time-stamping unit's key ({@link TimeStampKey}), not on the CA: the CA registers that key only
 * once it is ready (token open, hierarchy loaded), so this signer appears after the CA and the audit log binds it
 * then (its anchor signers are a dynamic reference). The CA needs the audit log; the audit log never waits for the
 * CA: no circle, and no lazy look-up.
 */
@Component(service = AuditAnchorSigner.class,
        property = { AuditAnchorSigner.ID + "=" + Rfc3161AnchorSigner.SIGNER_ID, "service.ranking:Integer=10" })
public class TsaAnchorSignerComponent implements AuditAnchorSigner {

    private final Rfc3161AnchorSigner signer;

    @Activate
    public TsaAnchorSignerComponent(@Reference TimeStampKey key) {
        TimeStampAuthority tsa = new TimeStampAuthority(key, Clock.systemUTC());
        List<java.security.cert.X509Certificate> issuers = List.of(key.chain().get(0));
        this.signer = new Rfc3161AnchorSigner(tsa::respond, () -> issuers);
    }

    @Override
    public String id() {
        return signer.id();
    }

    @Override
    public byte[] sign(byte[] statement) {
        return signer.sign(statement);
    }

    @Override
    public boolean verify(byte[] statement, byte[] token) {
        return signer.verify(statement, token);
    }
}
