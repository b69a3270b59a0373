package io.cachet.api.identity;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The identity cases: what providers record into them and what operators decide. A service of the identity bundle;
 * thread-safe. Every change is one database transaction with its audit record; a refused call changes nothing
 * (and throws {@link IdentityException}). Evidence is encrypted at rest (a data key per case, wrapped by the
 * deployment's master key) and never logged.
 *
 * <p>The cases are opened by the identity bundle itself when an order enters {@code VERIFICATION} (one per person),
 * with an e-mail carrying a personal link; opening the link starts an attempt with the case's provider
 * ({@link IdentityProvider#start}), which sends the person on. Providers then call the methods below; when the
 * evidence is complete the case waits for an operator ({@link CaseStatus#REVIEW}); the decision is reported to the
 * order's check.
 *
 * @see IdentityProvider
 */
@ProviderType
public interface IdentityCases {

    Optional<IdentityCase> find(String caseId);

    /** @return the order's cases (one per person), for the order's pages and the console */
    List<IdentityCase> forOrder(String orderId);

    /**
     * @return the case whose open attempt was started with {@code flowToken} (see {@link IdentityProvider#start}),
     *         empty when unknown or the attempt is no longer open (submitted, replaced, case ended)
     */
    Optional<IdentityCase> byFlowToken(String flowToken);

    /** @return the case whose open or last attempt carries this provider's {@code reference}, e.g. a vendor's session */
    Optional<IdentityCase> byReference(String provider, String reference);

    /** The documents the service accepts, from the configured catalogue, in the catalogue's order. */
    List<DocumentType> acceptedDocuments();

    /**
     * Checks an image of the open attempt and keeps it (replacing an earlier one of the same kind): a real JPEG or
     * PNG (told by its bytes), decodable, at least 1080×1920 in either orientation, within the size limit;
     * metadata (EXIF, GPS, comments) stripped before it is stored.
     *
     * @throws IdentityException {@code INVALID} with {@code image.*} codes, {@code CONFLICT} when no attempt is open
     */
    Evidence addImage(String caseId, EvidenceKind kind, byte[] image, String actor);

    /**
     * Records the document the person holds: its type from the catalogue and the machine readable zone they typed
     * (lines separated by line breaks; spaces ignored; lower case accepted). Parsed and validated: every check
     * digit and the composite one, the format matching the type, the document not expired, surname, given names
     * and birth date matching the order's after normalisation. Refused attempts are audited (without the zone).
     *
     * @return the zone's data, once accepted
     * @throws IdentityException {@code INVALID} with codes {@code mrz.*}, {@code document.*}, {@code name.mismatch},
     *         {@code birth-date.mismatch}; {@code CONFLICT} when no attempt is open
     */
    MrzData submitDocument(String caseId, String documentType, String mrz, String actor);

    /**
     * The person has finished: the attempt's evidence must be complete (document front, back when the type needs
     * it, selfie, accepted zone). The case goes to {@link CaseStatus#REVIEW}; the flow token stops working.
     *
     * @throws IdentityException {@code INVALID} ({@code evidence.incomplete}, naming what is missing in the args),
     *         {@code CONFLICT} when no attempt is open
     */
    IdentityCase submit(String caseId, String actor);

    /**
     * An external provider's verdict on the open attempt (received by its webhook, already authenticated). The
     * result's data are compared with the order's (checks recorded) and the case goes to review.
     *
     * @throws IdentityException {@code CONFLICT} when no attempt of that provider is open (a late or repeated result)
     */
    IdentityCase providerResult(String caseId, ProviderResult result, String actor);

    /** The cases waiting for a decision, oldest submission first. */
    List<IdentityCase> queue(int limit);

    /**
     * The case for an operator's review screen; records in the audit log that {@code operator} looked at the
     * person's evidence.
     */
    IdentityCase review(String caseId, String operator);

    /**
     * An image of the case for the evidence viewer, decrypted; each call audited (who saw which image of whose case).
     *
     * @throws IdentityException {@code NOT_FOUND} when there is no such image (or it was purged)
     */
    byte[] image(String caseId, int attempt, EvidenceKind kind, String operator);

    /** The rejection reasons operators choose from (codes; their texts are messages {@code identity.reason.<code>}). */
    List<String> rejectionReasons();

    /**
     * An operator approves or rejects the case's attempt under review. An approval completes the case (and passes the
     * order's check) unless a second approval is required, which must come from another operator. A rejection needs a
     * {@code reason} from {@link #rejectionReasons()}; the person is e-mailed the reason and, while attempts are left
     * and {@code allowRetry}, a new link (the case goes back to {@link CaseStatus#OPEN}); else the case is
     * {@link CaseStatus#REJECTED} and the order's check fails.
     *
     * @throws IdentityException {@code CONFLICT} when the case is not under review or the operator already approved it,
     *         {@code INVALID} for an unknown reason
     */
    IdentityCase decide(String caseId, boolean approve, String reason, String comment, boolean allowRetry,
            String operator);
}
