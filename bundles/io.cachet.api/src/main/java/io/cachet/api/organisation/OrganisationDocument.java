package io.cachet.api.organisation;

import java.time.Instant;

/**
 * A document the customer uploaded for an organisation check. Its content is kept encrypted; read it through
 * {@link OrganisationChecks#openDocument}.
 *
 * @param id opaque id, unique within the case
 * @param kind {@link #EXTRACT} (the register's extract) or {@link #MANDATE} (the mandate naming the legal
 *        representative)
 * @param fileName the name the customer's file had (for display only; never used as a path)
 * @param mediaType {@code application/pdf}, {@code image/jpeg} or {@code image/png}, told by the content's bytes
 * @param size content length in bytes
 * @param sha256 SHA-256 of the content as uploaded, lower-case hex (the evidence file quotes it)
 * @param uploadedAt when it was received
 */
public record OrganisationDocument(String id, String kind, String fileName, String mediaType, long size,
        String sha256, Instant uploadedAt) {

    /** Kind of the official register's extract (France: extrait K-bis). */
    public static final String EXTRACT = "EXTRACT";
    /** Kind of the mandate linking the legal representative to the organisation. */
    public static final String MANDATE = "MANDATE";
}
