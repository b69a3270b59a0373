package io.cachet.api.organisation;

import java.io.InputStream;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The organisation checks of orders: the documents customers upload, the automatic checks run on them and the
 * operators' decisions. A service of the {@code io.cachet.organisation} bundle; thread-safe; safe with several nodes
 * on one database. Every change is one database transaction with its audit record; a refused call changes nothing
 * and throws {@link OrganisationException}. Documents are encrypted at rest with keys kept outside the database.
 *
 * <p>A case is opened when an order enters {@code VERIFICATION} (the order's {@code organisation} check). The
 * customer uploads the register's extract (and a mandate when needed) from the order's status page; an extract that
 * is provably older than three months or names another organisation is refused at upload. An operator then approves
 * (the order's check passes) or rejects with a reason shown to the customer (the check fails; the customer may
 * upload again, which puts the check back to pending).
 */
@ProviderType
public interface OrganisationChecks {

    /** Largest document accepted, in bytes, unless configured otherwise. */
    long DEFAULT_MAX_DOCUMENT_SIZE = 10L * 1024 * 1024;

    /** @return the organisation case of the order, if one was opened */
    Optional<OrganisationCase> forOrder(String orderId);

    /** @return the case, if it exists */
    Optional<OrganisationCase> find(String caseId);

    /** @return the cases waiting for an operator ({@code IN_REVIEW}), longest waiting first, at most {@code limit} */
    List<OrganisationCase> queue(int limit);

    /**
     * A document's content, decrypted. Audited (who read which document). The caller closes the stream.
     *
     * @throws OrganisationException {@code NOT_FOUND} when the case has no such document
     */
    InputStream openDocument(String caseId, String documentId);

    /**
     * As {@link #openDocument(String, String)}, recording {@code actor} (an operator, a module) in the audit log.
     *
     * @throws OrganisationException {@code NOT_FOUND} when the case has no such document
     */
    InputStream openDocument(String caseId, String documentId, String actor);

    /**
     * The customer uploads a document for the order's case: a PDF, JPEG or PNG (told by its bytes), within the size
     * limit. An extract's text is read when it is a PDF with text: its issue date, the organisation's name and
     * identifier; an extract provably older than three months ({@code extract.too-old}) or naming neither the
     * order's identifier nor its name ({@code extract.other-organisation}) is refused. An accepted extract puts the
     * case {@code IN_REVIEW} and the order's check back to pending.
     *
     * @param kind {@link OrganisationDocument#EXTRACT} or {@link OrganisationDocument#MANDATE}
     * @param fileName the file's name as sent (display only)
     * @throws OrganisationException {@code INVALID} ({@code file.*}, {@code kind.unknown}, {@code extract.*}),
     *         {@code NOT_FOUND} (no case for the order), {@code CONFLICT} ({@code order.not-open}: the order has left
     *         verification, or {@code case.approved})
     */
    OrganisationCase upload(String orderId, String kind, String fileName, byte[] content, String actor);

    /**
     * An operator records the extract's issue date read on the document (when it could not be read from its text);
     * the checks are run again.
     *
     * @throws OrganisationException {@code INVALID} ({@code extract.date-future}), {@code NOT_FOUND},
     *         {@code CONFLICT} ({@code case.not-in-review})
     */
    OrganisationCase recordExtractDate(String caseId, LocalDate issued, String operator);

    /**
     * An operator's decision on a case under review. An approval needs the legal representative confirmed
     * ({@code legalRepresentativeBasis} {@code EXTRACT} or {@code MANDATE}, the latter only with a mandate uploaded)
     * and an extract issued less than three months ago; the order's {@code organisation} check passes. A rejection
     * needs a {@code reason} (shown to the customer, who is told by e-mail and may upload again); the check fails.
     *
     * @throws OrganisationException {@code INVALID} ({@code basis.missing}, {@code basis.no-mandate},
     *         {@code extract.date-missing}, {@code extract.too-old}, {@code reason.missing}), {@code NOT_FOUND},
     *         {@code CONFLICT} ({@code case.not-in-review})
     */
    OrganisationCase decide(String caseId, boolean approve, String legalRepresentativeBasis, String reason,
            String operator);
}
