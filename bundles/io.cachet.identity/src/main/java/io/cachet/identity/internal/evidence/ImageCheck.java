package io.cachet.identity.internal.evidence;

/**
 * STUB (to be written by the evidence work): an uploaded image checked on the server and stripped of its metadata.
 */
public final class ImageCheck {

    /** The shorter and longer side an evidence image needs at least (a 1080×1920 camera, either orientation). */
    public static final int MIN_SHORT_SIDE = 1080;
    public static final int MIN_LONG_SIDE = 1920;

    private ImageCheck() {
    }

    /**
     * @param contentType {@code image/jpeg} or {@code image/png}, told by the bytes
     * @param bytes the image without metadata (EXIF, XMP, GPS, comments, ICC kept only if needed to show it)
     */
    public record Checked(String contentType, int width, int height, byte[] bytes) {
    }

    /**
     * Reads the format from the bytes (never from a name or a declared type), the size from the header before
     * decoding any pixel (so a decompression bomb is refused unread), then decodes it fully.
     *
     * @param maxBytes the upload limit
     * @throws io.cachet.api.identity.IdentityException {@code INVALID} with code {@code image.too-large} (args: limit
     *         in MB), {@code image.not-an-image}, {@code image.unreadable} (truncated, corrupt), {@code image.too-small}
     *         (args: width, height)
     */
    public static Checked check(byte[] data, long maxBytes) {
        throw new UnsupportedOperationException("stub");
    }
}
