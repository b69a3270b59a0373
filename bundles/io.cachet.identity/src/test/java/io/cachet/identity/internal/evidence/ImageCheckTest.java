package io.cachet.identity.internal.evidence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cachet.api.identity.IdentityException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Image checks on images made here (BufferedImage → ImageIO), and their metadata stripped. */
class ImageCheckTest {

    static final long LIMIT = 15_000_000;

    static final byte[] JPEG = encode(picture(1080, 1920), "jpeg");
    static final byte[] PNG = encode(picture(1080, 1920), "png");

    static BufferedImage picture(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(30, 90, 160));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.WHITE);
        g.fillRect(width / 8, height / 8, width / 2, height / 3);
        g.setColor(new Color(200, 40, 40));
        g.fillOval(width / 3, height / 2, width / 3, width / 3);
        g.dispose();
        return image;
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static IdentityException refused(byte[] data, String code) {
        IdentityException e = assertThrows(IdentityException.class, () -> ImageCheck.check(data, LIMIT));
        assertEquals(IdentityException.Reason.INVALID, e.reason());
        assertEquals(code, e.code(), e.getMessage());
        return e;
    }

    // --- sizes and formats ---

    @ParameterizedTest(name = "{0}×{1} {2}: {3}")
    @CsvSource({
        "1080, 1920, jpeg, ok",
        "1920, 1080, jpeg, ok",
        "1080, 1920, png, ok",
        "1920, 1080, png, ok",
        "2160, 3840, jpeg, ok",
        "1440, 2560, png, ok",
        "1079, 1920, jpeg, small",
        "1080, 1919, jpeg, small",
        "1920, 1079, png, small",
        "1919, 1080, png, small",
        "720, 1280, jpeg, small",
        "1000, 5000, jpeg, small",
        "1080, 1080, png, small",
    })
    void sizeAtLeast1080By1920EitherOrientation(int width, int height, String format, String outcome) {
        byte[] data = encode(picture(width, height), format);
        if (outcome.equals("ok")) {
            ImageCheck.Checked checked = ImageCheck.check(data, LIMIT);
            assertEquals("image/" + format, checked.contentType());
            assertEquals(width, checked.width());
            assertEquals(height, checked.height());
        } else {
            IdentityException e = refused(data, "image.too-small");
            assertEquals(List.of(String.valueOf(width), String.valueOf(height)), e.args());
        }
    }

    @Test
    void theBytesTellTheFormatNotTheName(@TempDir Path dir) throws IOException {
        Path renamed = dir.resolve("photo.jpg");
        Files.write(renamed, PNG);
        ImageCheck.Checked checked = ImageCheck.check(Files.readAllBytes(renamed), LIMIT);
        assertEquals("image/png", checked.contentType());
        assertEquals(1080, checked.width());
        Path other = dir.resolve("photo.png");
        Files.write(other, JPEG);
        assertEquals("image/jpeg", ImageCheck.check(Files.readAllBytes(other), LIMIT).contentType());
    }

    @Test
    void otherFormatsAndNonImagesAreNotImages() {
        refused(new byte[0], "image.not-an-image");
        refused(null, "image.not-an-image");
        refused("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII), "image.not-an-image");
        refused("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".getBytes(StandardCharsets.US_ASCII), "image.not-an-image");
        refused(encode(picture(1080, 1920), "gif"), "image.not-an-image");
        refused(encode(picture(1080, 1920), "bmp"), "image.not-an-image");
        byte[] random = new byte[100_000];
        new Random(42).nextBytes(random);
        random[0] = 0x42; // not FF or 89 by chance
        refused(random, "image.not-an-image");
    }

    @Test
    void randomBytesBehindAMagicNumberAreUnreadable() {
        byte[] random = new byte[100_000];
        new Random(7).nextBytes(random);
        byte[] jpeg = random.clone();
        jpeg[0] = (byte) 0xFF;
        jpeg[1] = (byte) 0xD8;
        jpeg[2] = (byte) 0xFF;
        refused(jpeg, "image.unreadable");
        byte[] png = random.clone();
        System.arraycopy(PNG, 0, png, 0, 8);
        refused(png, "image.unreadable");
    }

    @Test
    void truncatedFilesAreUnreadable() {
        for (byte[] image : List.of(JPEG, PNG)) {
            refused(Arrays.copyOf(image, image.length / 2), "image.unreadable");
            refused(Arrays.copyOf(image, image.length - 2), "image.unreadable");
            refused(Arrays.copyOf(image, 200), "image.unreadable");
            refused(Arrays.copyOf(image, 10), "image.unreadable");
        }
        refused(Arrays.copyOf(JPEG, 3), "image.unreadable");
        // cut inside the picture and closed with an EOI, as a careless upload repair would: the structure is whole,
        // the picture is not (ImageIO only warns and fills the rest with grey)
        refused(concat(Arrays.copyOf(JPEG, JPEG.length * 2 / 3), new byte[] {(byte) 0xFF, (byte) 0xD9}),
                "image.unreadable");
        // likewise a PNG whose last IDAT is cut and closed with an IEND
        List<String> types = chunkTypes(PNG);
        assertEquals("IEND", types.get(types.size() - 1));
        int lastIdat = PNG.length - 12;
        int idatStart = lastIdat;
        while (!new String(PNG, idatStart + 4, 4, StandardCharsets.ISO_8859_1).equals("IDAT")
                || ByteBuffer.wrap(PNG, idatStart, 4).getInt() + 12 + idatStart != lastIdat) {
            idatStart--;
        }
        int idatLength = ByteBuffer.wrap(PNG, idatStart, 4).getInt();
        byte[] half = Arrays.copyOfRange(PNG, idatStart + 8, idatStart + 8 + idatLength / 2);
        refused(concat(Arrays.copyOf(PNG, idatStart), chunk("IDAT", half), chunk("IEND", new byte[0])),
                "image.unreadable");
    }

    @Test
    void corruptDataIsUnreadable() {
        // a PNG chunk's CRC no longer matches
        byte[] png = PNG.clone();
        png[png.length / 2] ^= 0x55;
        refused(png, "image.unreadable");
        // JPEG entropy data overwritten with a marker that has no business there (SOI)
        byte[] jpeg = JPEG.clone();
        int sos = indexOf(jpeg, new byte[] {(byte) 0xFF, (byte) 0xDA});
        jpeg[sos + 200] = (byte) 0xFF;
        jpeg[sos + 201] = (byte) 0xD8;
        refused(jpeg, "image.unreadable");
    }

    @Test
    void aFortyMegabyteUploadIsRefusedBySizeWithoutDecoding() {
        // 40 MB behind a JPEG magic number: decoding it would say unreadable; the size is refused first
        byte[] big = new byte[40 * 1024 * 1024];
        big[0] = (byte) 0xFF;
        big[1] = (byte) 0xD8;
        big[2] = (byte) 0xFF;
        IdentityException e = refused(big, "image.too-large");
        assertEquals(List.of("15"), e.args());
        // a real image over the limit too
        IdentityException small = assertThrows(IdentityException.class, () -> ImageCheck.check(JPEG, 10_000));
        assertEquals("image.too-large", small.code());
        assertEquals(List.of("1"), small.args());
        assertEquals(List.of("10"), assertThrows(IdentityException.class,
                () -> ImageCheck.check(big, 10L * 1024 * 1024)).args());
    }

    @Test
    void aHugeDimensionHeaderIsRefusedUnread() {
        // PNG: IHDR says 100000×100000 (a decompression bomb's shape), one tiny IDAT
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(Arrays.copyOf(PNG, 8));
        png.writeBytes(chunk("IHDR", ByteBuffer.allocate(13).putInt(100_000).putInt(100_000).put((byte) 8)
                .put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0).array()));
        png.writeBytes(chunk("IDAT", new byte[] {0x78, (byte) 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01}));
        png.writeBytes(chunk("IEND", new byte[0]));
        refused(png.toByteArray(), "image.too-large");

        // JPEG: the SOF0 of a real picture patched to 60000×60000
        byte[] jpeg = JPEG.clone();
        int sof = indexOf(jpeg, new byte[] {(byte) 0xFF, (byte) 0xC0});
        jpeg[sof + 5] = (byte) (60000 >> 8);
        jpeg[sof + 6] = (byte) 60000;
        jpeg[sof + 7] = (byte) (60000 >> 8);
        jpeg[sof + 8] = (byte) 60000;
        refused(jpeg, "image.too-large");

        // just under the pixel limit and well-formed as a header, it is decoded (and found truncated)
        jpeg[sof + 5] = (byte) (4000 >> 8);
        jpeg[sof + 6] = (byte) 4000;
        jpeg[sof + 7] = (byte) (6000 >> 8);
        jpeg[sof + 8] = (byte) (6000 & 0xFF);
        refused(jpeg, "image.unreadable");
    }

    @Test
    void aProgressiveJpegIsWalkedScanByScan() throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BufferedImage picture = picture(1920, 1080);
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(picture, null, null), param);
        }
        writer.dispose();
        byte[] progressive = out.toByteArray();
        assertTrue(segments(progressive).stream().filter(s -> s.marker == 0xDA).count() > 1, "several scans");
        ImageCheck.Checked checked = ImageCheck.check(progressive, LIMIT);
        assertArrayEquals(progressive, checked.bytes()); // nothing to strip
        assertEquals(1920, checked.width());
    }

    // --- metadata ---

    /** A minimal EXIF block (big-endian TIFF) with a GPS position in it, as a phone writes. */
    static byte[] exifWithGps() {
        ByteBuffer tiff = ByteBuffer.allocate(200);
        tiff.put("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
        int base = tiff.position();
        tiff.put(new byte[] {'M', 'M', 0, 42}).putInt(8);
        // IFD0: Make, GPS IFD pointer
        tiff.putShort((short) 2);
        tiff.putShort((short) 0x010F).putShort((short) 2).putInt(4).put("ACME".getBytes(StandardCharsets.US_ASCII));
        tiff.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(38);
        tiff.putInt(0);
        // GPS IFD at 38: GPSLatitudeRef N, GPSLatitude 48/1 51/1 24/1
        tiff.putShort((short) 2);
        tiff.putShort((short) 1).putShort((short) 2).putInt(2).put(new byte[] {'N', 0, 0, 0});
        tiff.putShort((short) 2).putShort((short) 5).putInt(3).putInt(68);
        tiff.putInt(0);
        tiff.putInt(48).putInt(1).putInt(51).putInt(1).putInt(24).putInt(1);
        assertEquals(base + 68 + 24, tiff.position());
        return Arrays.copyOf(tiff.array(), tiff.position());
    }

    static byte[] segment(int marker, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + payload.length);
        b.put((byte) 0xFF).put((byte) marker).putShort((short) (payload.length + 2)).put(payload);
        return b.array();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    record Segment(int marker, byte[] payload) {
    }

    /** The segments up to the end of the image, entropy-coded data skipped (an independent reading for the tests). */
    static List<Segment> segments(byte[] jpeg) {
        List<Segment> list = new ArrayList<>();
        int p = 2;
        while (p < jpeg.length) {
            assertEquals(0xFF, jpeg[p] & 0xFF, "a marker at " + p);
            int marker = jpeg[p + 1] & 0xFF;
            if (marker == 0xD9) {
                list.add(new Segment(marker, new byte[0]));
                assertEquals(jpeg.length, p + 2, "nothing after EOI");
                return list;
            }
            int length = ((jpeg[p + 2] & 0xFF) << 8) | (jpeg[p + 3] & 0xFF);
            list.add(new Segment(marker, Arrays.copyOfRange(jpeg, p + 4, p + 2 + length)));
            p += 2 + length;
            if (marker == 0xDA) {
                while (!((jpeg[p] & 0xFF) == 0xFF && (jpeg[p + 1] & 0xFF) != 0
                        && ((jpeg[p + 1] & 0xFF) < 0xD0 || (jpeg[p + 1] & 0xFF) > 0xD7))) {
                    p++;
                }
            }
        }
        throw new AssertionError("no EOI");
    }

    @Test
    void jpegMetadataIsStrippedAndThePictureKept() throws IOException {
        byte[] xmp = concat(ascii("http://ns.adobe.com/xap/1.0/\0"), ascii("<x:xmpmeta><exif:GPSLatitude>48,51N"
                + "</exif:GPSLatitude></x:xmpmeta>"));
        byte[] iptc = ascii("Photoshop 3.0\08BIM\4\4\0\0\0\0\0\20\34\2\120\0\10Jane Doe");
        byte[] icc = concat(ascii("ICC_PROFILE\0\1\1"), new byte[128]);
        byte[] jfxx = concat(ascii("JFXX\0\20"), new byte[30]);
        byte[] adobe = {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 1}; // transform 1: YCbCr
        // after the JFIF APP0 of ImageIO's writer: EXIF, XMP, ICC, IPTC, a JFXX thumbnail, Adobe, a comment
        int afterApp0 = 2 + 2 + (((JPEG[4] & 0xFF) << 8) | (JPEG[5] & 0xFF));
        assertEquals(0xE0, JPEG[3] & 0xFF);
        byte[] tagged = concat(Arrays.copyOf(JPEG, afterApp0), segment(0xE1, exifWithGps()), segment(0xE1, xmp),
                segment(0xE2, icc), segment(0xED, iptc), segment(0xE0, jfxx), segment(0xEE, adobe),
                segment(0xFE, ascii("taken at 12 rue de la Paix by Jane Doe")), segment(0xEF, ascii("APP15 data")),
                Arrays.copyOfRange(JPEG, afterApp0, JPEG.length), ascii("trailing: second picture"));
        // the tagged picture really carries them
        assertTrue(contains(tagged, ascii("Exif\0\0MM")));

        ImageCheck.Checked checked = ImageCheck.check(tagged, LIMIT);
        byte[] clean = checked.bytes();
        List<Integer> markers = segments(clean).stream().map(Segment::marker).toList();
        for (int m : markers) {
            assertTrue(m == 0xE0 || m == 0xEE || m < 0xE0 || m > 0xEF && m != 0xFE,
                    "segment " + Integer.toHexString(m) + " kept");
        }
        assertEquals(1, markers.stream().filter(m -> m == 0xE0).count(), "the JFIF APP0 only");
        assertTrue(markers.contains(0xEE), "Adobe APP14 kept");
        for (String gone : List.of("Exif", "GPSLatitude", "ACME", "http://ns.adobe.com", "Photoshop", "Jane Doe",
                "ICC_PROFILE", "JFXX", "rue de la Paix", "APP15", "trailing")) {
            assertFalse(contains(clean, ascii(gone)), gone + " left");
        }
        // the same picture, pixel for pixel: the entropy-coded data was copied as it was
        assertSamePixels(ImageIO.read(new ByteArrayInputStream(JPEG)), ImageIO.read(new ByteArrayInputStream(clean)));
        // and stripping is all that happened: the untagged picture's segments are all there, in order
        assertArrayEquals(concat(Arrays.copyOf(JPEG, afterApp0), segment(0xEE, adobe),
                Arrays.copyOfRange(JPEG, afterApp0, JPEG.length)), clean);
        // stripping a clean image changes nothing
        assertArrayEquals(JPEG, ImageCheck.check(JPEG, LIMIT).bytes());
    }

    /** A camera's file: EXIF (APP1) where a JFIF APP0 would be; stripped, it has no APPn left and still shows. */
    @Test
    void aCameraJpegWithoutJfifKeepsOnlyThePicture() throws IOException {
        int afterApp0 = 2 + 2 + (((JPEG[4] & 0xFF) << 8) | (JPEG[5] & 0xFF));
        byte[] camera = concat(Arrays.copyOf(JPEG, 2), segment(0xE1, exifWithGps()),
                Arrays.copyOfRange(JPEG, afterApp0, JPEG.length));
        byte[] clean = ImageCheck.check(camera, LIMIT).bytes();
        assertTrue(segments(clean).stream().noneMatch(s -> s.marker() >= 0xE0 && s.marker() <= 0xEF));
        assertFalse(contains(clean, ascii("Exif")));
        assertArrayEquals(concat(Arrays.copyOf(JPEG, 2), Arrays.copyOfRange(JPEG, afterApp0, JPEG.length)), clean);
        assertSamePixels(ImageIO.read(new ByteArrayInputStream(JPEG)), ImageIO.read(new ByteArrayInputStream(clean)));
    }

    static byte[] chunk(String type, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(12 + data.length);
        b.putInt(data.length).put(ascii(type)).put(data);
        CRC32 crc = new CRC32();
        crc.update(ascii(type));
        crc.update(data);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    static List<String> chunkTypes(byte[] png) {
        List<String> types = new ArrayList<>();
        int p = 8;
        while (p < png.length) {
            int length = ByteBuffer.wrap(png, p, 4).getInt();
            types.add(new String(png, p + 4, 4, StandardCharsets.ISO_8859_1));
            p += 12 + length;
        }
        assertEquals(png.length, p);
        return types;
    }

    @Test
    void pngMetadataIsStrippedAndThePictureKept() throws IOException {
        List<String> plain = chunkTypes(PNG);
        assertEquals("IHDR", plain.get(0));
        int ihdrEnd = 8 + 12 + 13;
        byte[] exif = Arrays.copyOfRange(exifWithGps(), 6, exifWithGps().length);
        byte[] tagged = concat(Arrays.copyOf(PNG, ihdrEnd),
                chunk("gAMA", ByteBuffer.allocate(4).putInt(45455).array()),
                chunk("tEXt", ascii("Author\0Jane Doe")),
                chunk("iTXt", ascii("XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>GPS</x:xmpmeta>")),
                chunk("zTXt", concat(ascii("Comment\0\0"), new byte[] {0x78, (byte) 0x9C, 0x03, 0, 0, 0, 0, 1})),
                chunk("eXIf", exif),
                chunk("tIME", new byte[] {0x07, (byte) 0xEA, 12, 2, 19, 40, 0}),
                chunk("iCCP", concat(ascii("Phone display\0\0"), new byte[] {0x78, (byte) 0x9C, 0x03, 0, 0, 0, 0, 1})),
                chunk("pHYs", new byte[9]),
                Arrays.copyOfRange(PNG, ihdrEnd, PNG.length),
                ascii("trailing after IEND"));

        ImageCheck.Checked checked = ImageCheck.check(tagged, LIMIT);
        List<String> kept = chunkTypes(checked.bytes());
        List<String> expected = new ArrayList<>(plain);
        expected.add(1, "gAMA"); // needed to show the picture as meant
        assertEquals(expected, kept);
        for (String gone : List.of("Jane Doe", "xmpmeta", "ACME", "Phone display", "trailing")) {
            assertFalse(contains(checked.bytes(), ascii(gone)), gone + " left");
        }
        assertSamePixels(ImageIO.read(new ByteArrayInputStream(PNG)),
                ImageIO.read(new ByteArrayInputStream(checked.bytes())));
        assertArrayEquals(PNG, ImageCheck.check(PNG, LIMIT).bytes());
    }

    @Test
    void aPngWithAnUnknownCriticalChunkIsUnreadable() {
        int ihdrEnd = 8 + 12 + 13;
        byte[] png = concat(Arrays.copyOf(PNG, ihdrEnd), chunk("ZZZZ", new byte[4]),
                Arrays.copyOfRange(PNG, ihdrEnd, PNG.length));
        refused(png, "image.unreadable");
    }

    static void assertSamePixels(BufferedImage a, BufferedImage b) {
        assertEquals(a.getWidth(), b.getWidth());
        assertEquals(a.getHeight(), b.getHeight());
        for (int y = 0; y < a.getHeight(); y += 7) {
            for (int x = 0; x < a.getWidth(); x += 7) {
                assertEquals(a.getRGB(x, y), b.getRGB(x, y), "pixel " + x + "," + y);
            }
        }
    }

    static boolean contains(byte[] data, byte[] needle) {
        return indexOf(data, needle) >= 0;
    }

    static int indexOf(byte[] data, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
