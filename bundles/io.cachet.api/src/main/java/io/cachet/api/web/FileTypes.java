package io.cachet.api.web;

/**
 * What an uploaded file is, told by its first bytes and never by the name or the type the client gave: the one check
 * every module that takes a PDF, a JPEG or a PNG from a person uses (a register extract, a receipt's scan, an
 * identity photo), and that servlets use again before handing such a file to a browser.
 *
 * <p>Cachet's own because the three signatures are a few bytes each and a content-detection library (Tika and its
 * dependencies) would be far more than they need.
 *
 * @since 1.3
 */
public final class FileTypes {

    public static final String PDF = "application/pdf";
    public static final String JPEG = "image/jpeg";
    public static final String PNG = "image/png";

    /** PNG's eight-byte signature (ISO/IEC 15948, 5.2). */
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    /** A PDF's header at the very start ({@code %PDF-}, ISO 32000-2, 7.5.2). */
    private static final byte[] PDF_HEADER = {'%', 'P', 'D', 'F', '-'};
    /** A JPEG starts with SOI (FF D8) followed by a marker's FF (ITU T.81, B.1.1.3). */
    private static final byte[] JPEG_START = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};

    private FileTypes() {
    }

    /**
     * {@link #PDF}, {@link #JPEG} or {@link #PNG} when {@code bytes} start as such a file does, else {@code null}
     * (also for {@code null}). Says nothing about whether the rest of the file is well formed.
     */
    public static String of(byte[] bytes) {
        if (startsWith(bytes, PDF_HEADER)) {
            return PDF;
        }
        if (startsWith(bytes, JPEG_START)) {
            return JPEG;
        }
        if (startsWith(bytes, PNG_SIGNATURE)) {
            return PNG;
        }
        return null;
    }

    /** {@link #JPEG} or {@link #PNG} when {@code bytes} start as such an image does, else {@code null}. */
    public static String image(byte[] bytes) {
        String type = of(bytes);
        return JPEG.equals(type) || PNG.equals(type) ? type : null;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes == null || bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
