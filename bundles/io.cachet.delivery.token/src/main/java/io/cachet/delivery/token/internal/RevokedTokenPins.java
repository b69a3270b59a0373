package io.cachet.delivery.token.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.cachet.api.ca.IssuedCertificate;
import io.cachet.api.ca.RevocationListener;

/**
 * Told of every revocation, in the CA's transaction: the PIN still held for the revoked certificate's token is erased
 * with it ({@link TokenDeliveryService#certificateRevoked}), whoever revoked it — the holder from their link, an
 * operator from the console or the API. A revoked token's PIN then can no longer be shown.
 */
@Component(service = RevocationListener.class)
public class RevokedTokenPins implements RevocationListener {

    private final TokenDeliveriesComponent deliveries;

    @Activate
    public RevokedTokenPins(@Reference TokenDeliveriesComponent deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public void revoked(IssuedCertificate certificate, String actor) {
        deliveries.service().certificateRevoked(certificate.serialHex(), actor);
    }
}
