package io.cachet.api.acceptance;

import java.io.InputStream;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The acceptances of orders, as the acceptance bundle records them. A service of that bundle; thread-safe;
 * read-only (persons accept through their personal link and SMS code, not through this contract).
 */
@ProviderType
public interface Acceptances {

    /** @return the order's acceptance, empty when the order has not entered {@code ACCEPTANCE} yet (or is unknown) */
    Optional<AcceptanceRecord> forOrder(String orderId);

    /**
     * @return the acceptance form with every signature made so far (a PDF/A-2b, PAdES-B-LT sealed by the platform
     *         once per person who accepted; unsigned while nobody has), empty when the order has no acceptance;
     *         the caller closes the stream
     */
    Optional<InputStream> signedForm(String orderId);
}
