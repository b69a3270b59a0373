package io.cachet.api.issuance;

import java.io.InputStream;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The orders' evidence files: one PDF per order once its certificate is issued, with a cover page (the contents and
 * the SHA-256 of each attachment) and the attachments (the order as submitted, the identity cases' records, the
 * organisation documents and decision, the signed acceptance form, the certificate, the order's audit records, a
 * manifest of what is missing), sealed by the platform at PAdES-LTA, stored encrypted, and re-timestamped before
 * its last archive timestamp weakens. A service of the evidence module; thread-safe.
 */
@ProviderType
public interface EvidenceFiles {

    /** @return what is known of the order's evidence file, empty while it has not been made */
    Optional<EvidenceInfo> find(String orderId);

    /**
     * The evidence file's current content (decrypted PDF); the caller closes it.
     *
     * @throws IssuanceException {@code NOT_FOUND} when the order has no evidence file (yet);
     *         {@code UNAVAILABLE} when it cannot be read now
     */
    InputStream open(String orderId);

    /**
     * Adds an archive (document) timestamp to the evidence file now (PAdES-LTA augmentation, the signatures are not
     * made again) and stores the new version.
     *
     * @return the evidence file's new state
     * @throws IssuanceException {@code NOT_FOUND} when the order has no evidence file; {@code UNAVAILABLE} when
     *         the time-stamping authority or the platform's seal cannot be used now
     */
    EvidenceInfo timestamp(String orderId);
}
