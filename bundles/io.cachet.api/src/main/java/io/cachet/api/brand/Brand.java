package io.cachet.api.brand;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A brand, registered as a service with the property {@link #ID} equal to {@link #id()}.
 * Implementations are immutable and thread-safe.
 */
@ConsumerType
public interface Brand {

    /** Service property naming the brand. */
    String ID = "brand.id";

    /** Stable identifier, lower case, e.g. {@code default}, {@code acme}. */
    String id();

    /** The service name shown to customers, e.g. {@code Cachet}. */
    String displayName();

    /** Main colour as CSS hex, e.g. {@code #0b3d91}. */
    String primaryColour();

    /** Where customers get help (an e-mail address). */
    String supportEmail();
}
