package io.cachet.ca.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cachet.api.audit.AuditAnchorSigner;
import io.cachet.api.ca.CertificateAuthority;

/**
 * Anchors the audit log with time-stamps of Cachet's own TSA. Ranked above the local Ed25519 signer (0), so new
 * anchors are RFC 3161 tokens as soon as the CA runs; older anchors stay verifiable by the signer that made them.
 */
@Component(service = AuditAnchorSigner.class,
        property = { AuditAnchorSigner.ID + "=" + Rfc3161AnchorSigner.SIGNER_ID, "service.ranking:Integer=10" })
public class TsaAnchorSignerComponent implements AuditAnchorSigner {

    private final Rfc3161AnchorSigner signer;

    @Activate
    public TsaAnchorSignerComponent(@Reference CertificateAuthority ca) {
        this.signer = new Rfc3161AnchorSigner(ca::timestamp, () -> java.util.List.of(ca.chain().get(0)));
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
