package io.cachet.api.issuance;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What is known of an order's evidence file.
 *
 * @param orderId the order
 * @param fileName the name to save it under, e.g. {@code evidence-ord_….pdf}
 * @param size its size in bytes (current version)
 * @param sha256 the SHA-256 of its current version, lower-case hex
 * @param sections the attachments it holds, by name, in the cover page's order
 * @param missing the sections that could not be included, one line each saying why (also in the file's manifest)
 * @param createdAt when it was made and sealed
 * @param timestampedAt when its last archive timestamp was added
 * @param timestampValidUntil the end of validity of the certificate of the last archive timestamp's TSA, which the
 *        re-timestamping job watches; empty when unknown
 * @param timestamps how many archive timestamps it carries
 */
public record EvidenceInfo(String orderId, String fileName, long size, String sha256, List<String> sections,
        List<String> missing, Instant createdAt, Instant timestampedAt, Optional<Instant> timestampValidUntil,
        int timestamps) {

    public EvidenceInfo {
        sections = List.copyOf(sections);
        missing = List.copyOf(missing);
    }
}
