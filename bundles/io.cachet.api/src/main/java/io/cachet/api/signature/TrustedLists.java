package io.cachet.api.signature;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Trusted lists loaded once (reading and checking them takes time) and then used by any number of validations
 * ({@link ValidationOptions#withTrustedLists}): the certificates of their services become trust anchors, with the
 * qualification information (qualified CA for seals, QSCD) that lets the validation say whether a seal is qualified.
 * Only lists whose signature is valid and which have not expired give trust. Thread-safe.
 */
@ProviderType
public interface TrustedLists {

    /** Each list's state, in the order of the sources. */
    List<TrustedListStatus> status();
}
