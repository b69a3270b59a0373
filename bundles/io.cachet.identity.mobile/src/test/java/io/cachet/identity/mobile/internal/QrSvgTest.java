package io.cachet.identity.mobile.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;

/** The server-rendered QR code reads back (zxing's reader on the SVG's modules, drawn 8 pixels each). */
class QrSvgTest {

    static String decode(int size, String path) throws Exception {
        int scale = 8;
        int[] pixels = new int[size * scale * size * scale];
        java.util.Arrays.fill(pixels, 0xffffff);
        Matcher m = Pattern.compile("M(\\d+) (\\d+)h(\\d+)v1h-\\d+z").matcher(path);
        int end = 0;
        while (m.find()) {
            assertEquals(end, m.start(), "only runs of modules in the path");
            end = m.end();
            int x0 = Integer.parseInt(m.group(1));
            int y = Integer.parseInt(m.group(2));
            int w = Integer.parseInt(m.group(3));
            for (int py = y * scale; py < (y + 1) * scale; py++) {
                for (int px = x0 * scale; px < (x0 + w) * scale; px++) {
                    pixels[py * size * scale + px] = 0;
                }
            }
        }
        assertEquals(path.length(), end);
        RGBLuminanceSource source = new RGBLuminanceSource(size * scale, size * scale, pixels);
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source))).getText();
    }

    @Test
    void theCodeReadsBack() throws Exception {
        String url = "https://cachet.example.fr/identity/m/ABCDEFGH";
        QrSvg.Code code = QrSvg.of(url);
        assertEquals(url, decode(code.size(), code.path()));
    }
}
