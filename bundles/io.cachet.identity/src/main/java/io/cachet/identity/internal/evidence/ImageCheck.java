package io.cachet.identity.internal.evidence;

import io.cachet.api.identity.IdentityException;
import io.cachet.api.identity.IdentityException.Reason;
import io.cachet.api.web.FileTypes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * An uploaded image checked on the server and stripped of its metadata.
 *
 * <p>Stripping walks the file's own structure (JPEG segments, PNG chunks) and copies only what is needed to show the
 * picture, byte for byte: re-encoding would change the evidence and lose quality, and an image library's writer
 * would carry metadata back in. What is dropped can hold personal or device data: EXIF (GPS position, camera
 * serial, time), XMP, IPTC, comments, embedded thumbnails and ICC profiles (device descriptions), and anything after
 * the end of the image (phones append extra pictures there).
 */
public final class ImageCheck {

    /** The shorter and longer side an evidence image needs at least (a 1080×1920 camera, either orientation). */
    public static final int MIN_SHORT_SIDE = 1080;
    public static final int MIN_LONG_SIDE = 1920;

    /** More pixels than any phone camera gives (a 200 MP sensor aside): refused from the header, never decoded. */
    public static final long MAX_PIXELS = 40_000_000L;

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    /** PNG chunks needed to show the picture as meant; every other ancillary chunk (tEXt, zTXt, iTXt, eXIf, tIME,
     * iCCP…) is dropped. */
    private static final Set<String> PNG_KEPT = Set.of("IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB",
            "sBIT");

    private ImageCheck() {
    }

    /**
     * @param contentType {@code image/jpeg} or {@code image/png}, told by the bytes
     * @param bytes the image without metadata (EXIF, XMP, GPS, comments, ICC profiles, thumbnails, trailing data)
     */
    public record Checked(String contentType, int width, int height, byte[] bytes) {
    }

    /**
     * Reads the format from the bytes (never from a name or a declared type), the size from the header before
     * decoding any pixel (so a decompression bomb is refused unread), then decodes it fully (the stripped copy, so
     * what is stored is known to show).
     *
     * @param maxBytes the upload limit
     * @throws io.cachet.api.identity.IdentityException {@code INVALID} with code {@code image.too-large} (args: limit
     *         in MB; also for a header announcing more than {@link #MAX_PIXELS} pixels), {@code image.not-an-image},
     *         {@code image.unreadable} (truncated, corrupt), {@code image.too-small} (args: width, height)
     */
    public static Checked check(byte[] data, long maxBytes) {
        if (data == null || data.length == 0) {
            throw notAnImage();
        }
        if (data.length > maxBytes) {
            throw tooLarge(maxBytes, "the upload is larger than the limit");
        }
        String type = FileTypes.image(data);
        if (type == null) {
            throw notAnImage();
        }
        boolean jpeg = FileTypes.JPEG.equals(type);
        byte[] stripped = jpeg ? stripJpeg(data) : stripPng(data);
        String format = jpeg ? "jpeg" : "png";

        ImageReader reader = reader(format);
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(stripped))) {
            reader.setInput(in, true, true);
            // the size comes from the header (JPEG SOF, PNG IHDR): nothing is decompressed yet
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width <= 0 || height <= 0) {
                throw unreadable();
            }
            if ((long) width * height > MAX_PIXELS) {
                throw tooLarge(maxBytes, "the image has more pixels than allowed");
            }
            if (Math.min(width, height) < MIN_SHORT_SIDE || Math.max(width, height) < MIN_LONG_SIDE) {
                throw new IdentityException(Reason.INVALID, "image.too-small", "the image is " + width + "×" + height
                        + ", less than " + MIN_SHORT_SIDE + "×" + MIN_LONG_SIDE, String.valueOf(width),
                        String.valueOf(height));
            }
            // ImageIO's JPEG reader fills a truncated picture with grey and only warns: a warning is a refusal
            boolean[] warned = {false};
            reader.addIIOReadWarningListener(new IIOReadWarningListener() {
                @Override
                public void warningOccurred(ImageReader source, String warning) {
                    warned[0] = true;
                }
            });
            java.awt.image.BufferedImage image = reader.read(0);
            if (warned[0] || image == null || image.getWidth() != width || image.getHeight() != height) {
                throw unreadable();
            }
            return new Checked("image/" + format, width, height, stripped);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IdentityException ie) {
                throw ie;
            }
            // IIOException, or the decoders' unchecked exceptions on corrupt data (e.g. ArrayIndexOutOfBounds)
            throw unreadable();
        } finally {
            reader.dispose();
        }
    }

    private static ImageReader reader(String format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) {
            throw new IllegalStateException("no ImageIO reader for " + format);
        }
        return readers.next();
    }

    /**
     * Keeps SOI, APP0 JFIF (pixel density), APP14 Adobe (tells how the colours are coded: without it some JPEGs
     * show wrong colours), the segments that code the picture (DQT, SOFn, DHT, DAC, DRI, SOS and its entropy-coded
     * data, DNL, EXP) and EOI; drops APP0 JFXX (thumbnail), APP1 (EXIF incl. GPS, XMP), APP2 (ICC profile, MPF),
     * APP3–APP13 (IPTC…), APP15, COM and anything after EOI.
     */
    static byte[] stripJpeg(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        out.write(0xFF);
        out.write(0xD8);
        int p = 2;
        while (true) {
            // segments start with FF, possibly several (fill bytes)
            if (p >= in.length || (in[p] & 0xFF) != 0xFF) {
                throw unreadable();
            }
            while (p < in.length && (in[p] & 0xFF) == 0xFF) {
                p++;
            }
            if (p >= in.length) {
                throw unreadable();
            }
            int marker = in[p++] & 0xFF;
            if (marker == 0xD9) { // EOI: the end; trailing bytes are dropped
                out.write(0xFF);
                out.write(0xD9);
                return out.toByteArray();
            }
            if (marker == 0xD8 || marker == 0x00 || marker >= 0xD0 && marker <= 0xD7 || marker == 0x01) {
                throw unreadable(); // SOI again, stuffing, RSTn or TEM outside a scan
            }
            if (p + 2 > in.length) {
                throw unreadable();
            }
            int length = ((in[p] & 0xFF) << 8) | (in[p + 1] & 0xFF);
            if (length < 2 || p + length > in.length) {
                throw unreadable();
            }
            int segmentEnd = p + length;
            if (keep(marker, in, p + 2, length - 2)) {
                out.write(0xFF);
                out.write(marker);
                out.write(in, p, length);
            }
            p = segmentEnd;
            if (marker == 0xDA) { // SOS: entropy-coded data up to the next marker that is not stuffing or RSTn
                int start = p;
                while (true) {
                    if (p + 1 >= in.length) {
                        throw unreadable(); // truncated inside a scan
                    }
                    if ((in[p] & 0xFF) == 0xFF) {
                        int next = in[p + 1] & 0xFF;
                        if (next == 0x00 || next >= 0xD0 && next <= 0xD7) {
                            p += 2;
                            continue;
                        }
                        if (next == 0xFF) { // fill byte before a marker
                            p++;
                            continue;
                        }
                        break;
                    }
                    p++;
                }
                out.write(in, start, p - start);
            }
        }
    }

    private static boolean keep(int marker, byte[] in, int off, int len) {
        if (marker == 0xE0) { // APP0: JFIF yes, JFXX (a thumbnail) no
            return startsWith(in, off, len, "JFIF\0");
        }
        if (marker == 0xEE) { // APP14 Adobe: the colour transform flag
            return startsWith(in, off, len, "Adobe");
        }
        if (marker >= 0xE1 && marker <= 0xEF || marker == 0xFE) {
            return false; // other APPn and COM: metadata only
        }
        return true;
    }

    /** Keeps the PNG signature and the chunks of {@link #PNG_KEPT} (CRCs verified), up to IEND. */
    static byte[] stripPng(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        out.write(in, 0, PNG_SIGNATURE.length);
        int p = PNG_SIGNATURE.length;
        boolean first = true;
        while (true) {
            if (p + 12 > in.length) {
                throw unreadable(); // truncated before IEND
            }
            long length = ((long) (in[p] & 0xFF) << 24) | ((in[p + 1] & 0xFF) << 16) | ((in[p + 2] & 0xFF) << 8)
                    | (in[p + 3] & 0xFF);
            if (length > in.length - p - 12L) {
                throw unreadable();
            }
            String type = new String(in, p + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (!type.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
                throw unreadable();
            }
            if (first && !type.equals("IHDR")) {
                throw unreadable();
            }
            first = false;
            int total = 12 + (int) length;
            CRC32 crc = new CRC32();
            crc.update(in, p + 4, 4 + (int) length);
            int end = p + 8 + (int) length;
            long stored = ((long) (in[end] & 0xFF) << 24) | ((in[end + 1] & 0xFF) << 16) | ((in[end + 2] & 0xFF) << 8)
                    | (in[end + 3] & 0xFF);
            if (crc.getValue() != stored) {
                throw unreadable();
            }
            boolean critical = Character.isUpperCase(type.charAt(0));
            if (critical && !PNG_KEPT.contains(type)) {
                throw unreadable(); // a critical chunk no decoder here knows: the picture cannot be shown
            }
            if (PNG_KEPT.contains(type)) {
                out.write(in, p, total);
            }
            p += total;
            if (type.equals("IEND")) {
                return out.toByteArray(); // anything after IEND is dropped
            }
        }
    }

    private static boolean startsWith(byte[] data, int off, int len, String prefix) {
        if (len < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (data[off + i] != (byte) prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static IdentityException tooLarge(long maxBytes, String message) {
        // the limit as configured: a whole number of MB (10^6) or else of MiB, as an administrator would write it
        long mb = maxBytes % 1_000_000 == 0 ? maxBytes / 1_000_000 : Math.max(1, maxBytes / 1_048_576);
        return new IdentityException(Reason.INVALID, "image.too-large", message + " (" + mb + " MB)",
                String.valueOf(mb));
    }

    private static IdentityException notAnImage() {
        return new IdentityException(Reason.INVALID, "image.not-an-image", "the upload is not a JPEG or PNG image");
    }

    private static IdentityException unreadable() {
        return new IdentityException(Reason.INVALID, "image.unreadable", "the image is truncated or corrupt");
    }
}
