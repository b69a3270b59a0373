package io.cachet.api.organisation;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The organisation check of one order.
 *
 * @param id opaque id ({@code org_…}), safe in URLs
 * @param orderId the order it checks
 * @param status {@link #AWAITING_DOCUMENTS} (nothing usable uploaded yet, or rejected: the customer may upload
 *        again), {@link #IN_REVIEW} (an extract is there; waiting for an operator), {@link #APPROVED} or
 *        {@link #REJECTED} (the operator's last decision; after a rejection the case is back to
 *        {@code AWAITING_DOCUMENTS} as soon as the customer uploads again)
 * @param documents every document uploaded, oldest first (older uploads are kept for the record)
 * @param checks the automatic checks of the latest documents, by stable name (e.g. {@code identifier.format},
 *        {@code vat.key}, {@code extract.date}, {@code extract.name}, {@code extract.identifier},
 *        {@code registry}): value {@code PASSED|FAILED|UNKNOWN}, a colon and a detail for the operator, e.g.
 *        {@code "PASSED: issued 2026-11-20"}; in a stable order
 * @param legalRepresentativeBasis what names the legal representative, as the approving operator confirmed it:
 *        {@code EXTRACT}, {@code MANDATE}, or null before an approval
 * @param extractIssued issue date of the latest extract (read from its text, or entered by an operator), or null
 *        while unknown
 * @param decidedBy the operator of the last decision, or null
 * @param decidedAt when the last decision was made, or null
 * @param reason the reason of the last rejection (shown to the customer), or null
 */
public record OrganisationCase(String id, String orderId, String status, List<OrganisationDocument> documents,
        Map<String, String> checks, String legalRepresentativeBasis, LocalDate extractIssued, String decidedBy,
        Instant decidedAt, String reason) {

    public static final String AWAITING_DOCUMENTS = "AWAITING_DOCUMENTS";
    public static final String IN_REVIEW = "IN_REVIEW";
    public static final String APPROVED = "APPROVED";
    public static final String REJECTED = "REJECTED";

    /** Values of {@link #checks()} start with one of these, followed by {@code ": "} and a detail. */
    public static final String PASSED = "PASSED";
    public static final String FAILED = "FAILED";
    public static final String UNKNOWN = "UNKNOWN";

    public OrganisationCase {
        documents = documents == null ? List.of() : List.copyOf(documents);
        checks = checks == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(checks));
    }
}
