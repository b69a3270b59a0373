package io.cachet.ca.internal;

import java.util.List;
import java.util.function.Function;

import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cachet.api.audit.AuditAnchorSigner;
import io.cachet.api.ca.CertificateAuthority;

/**
 * Anchors the audit log with time-stamps of Cachet's own TSA. Ranked above the local Ed25519 signer (0), so new
 * anchors are RFC 3161 tokens as soon as the CA runs; older anchors stay verifiable by the signer that made them.
 *
 * <p>The CA is taken from the registry only when a time-stamp is made or checked, never at activation: the CA needs
 * the audit log, the audit log binds every anchor signer, and a signer that needed the CA to exist would close the
 * circle while the CA is still activating (SCR then refuses the CA: "Circular reference detected").
 */
@Component(service = AuditAnchorSigner.class,
        property = { AuditAnchorSigner.ID + "=" + Rfc3161AnchorSigner.SIGNER_ID, "service.ranking:Integer=10" })
public class TsaAnchorSignerComponent implements AuditAnchorSigner {

    private final Rfc3161AnchorSigner signer;
    private final ComponentServiceObjects<CertificateAuthority> ca;

    @Activate
    public TsaAnchorSignerComponent(@Reference ComponentServiceObjects<CertificateAuthority> ca) {
        this.ca = ca;
        this.signer = new Rfc3161AnchorSigner(statement -> withCa(a -> a.timestamp(statement)),
                () -> withCa(a -> List.of(a.chain().get(0))));
    }

    private <T> T withCa(Function<CertificateAuthority, T> work) {
        CertificateAuthority authority = ca.getService();
        if (authority == null) {
            throw new IllegalStateException("the CA is not running: no RFC 3161 time-stamp for the audit anchor");
        }
        try {
            return work.apply(authority);
        } finally {
            ca.ungetService(authority);
        }
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
