package io.cachet.api.delivery;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The deliveries of token orders. A service of the token delivery module; thread-safe; safe with several nodes.
 * Provisioning itself is driven from the operator's station ({@code cachet-cli token provision}) over the REST API.
 */
@ProviderType
public interface TokenDeliveries {

    /** @return the order's token delivery, empty for a cloud order or one that has not reached ISSUANCE */
    Optional<TokenDelivery> find(String orderId);

    /**
     * @return token deliveries waiting for an operator: stage {@code WAITING} to {@code CERTIFIED} (not provisioned
     *         yet, or stopped half-way), oldest first, at most {@code limit}
     */
    List<TokenDelivery> toProvision(int limit);

    /**
     * Reopens the retrieval of the initialisation PIN after too many wrong codes (support's decision; audited with
     * the reason). The PIN was never shown.
     *
     * @throws DeliveryException {@code NOT_FOUND}, {@code CONFLICT} when the PIN is not locked
     */
    TokenDelivery unlockPin(String orderId, String reason, String actor);
}
