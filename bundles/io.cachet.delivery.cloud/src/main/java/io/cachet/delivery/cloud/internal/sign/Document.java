package io.cachet.delivery.cloud.internal.sign;

import java.time.Instant;

/**
 * A document of a holder in Click&amp;Cert (its contents stay encrypted in the database).
 *
 * @param id its id
 * @param holderId the account that uploaded it
 * @param fileName the name it was uploaded with (cleaned)
 * @param size bytes of the original
 * @param sha256 SHA-256 of the original, lower-case hex: what the holder authorises
 * @param pages pages of the PDF; 0 while it is {@link State#LOCKED}
 * @param encrypted whether the PDF is password-protected
 * @param state where it stands
 * @param orderId the order whose seal signed it; null before
 * @param signedSha256 SHA-256 of the signed PDF; null before
 * @param signedSize bytes of the signed PDF; 0 before
 * @param level the PAdES level it was signed at; null before
 * @param signedAt when it was signed; null before
 * @param createdAt when it was uploaded
 * @param purgeAt when it is (or was due to be) purged
 */
public record Document(String id, String holderId, String fileName, long size, String sha256, int pages,
        boolean encrypted, State state, String orderId, String signedSha256, long signedSize, String level,
        Instant signedAt, Instant createdAt, Instant purgeAt) {

    /** The document's life. */
    public enum State {
        /** Encrypted PDF whose password was not given yet. */
        LOCKED,
        /** Ready to sign. */
        UPLOADED,
        /** Signed; the signed PDF can be downloaded until {@link Document#purgeAt}. */
        SIGNED,
        /** Contents deleted (and its data key with them). */
        PURGED
    }

    /** The signed file's name: the original's with {@code -signed} before {@code .pdf}. */
    public String signedFileName() {
        String base = fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".pdf")
                ? fileName.substring(0, fileName.length() - 4) : fileName;
        return base + "-signed.pdf";
    }
}
