package io.cachet.identity.mobile.internal;

import java.util.Map;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

/** A QR code as SVG path data (one unit per module, a 4-module quiet zone), rendered on the server. */
final class QrSvg {

    /** @param size modules per side including the quiet zone */
    record Code(int size, String path) {
    }

    private QrSvg() {
    }

    static Code of(String text) {
        try {
            BitMatrix m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 4));
            StringBuilder d = new StringBuilder();
            for (int y = 0; y < m.getHeight(); y++) {
                int x = 0;
                while (x < m.getWidth()) {
                    if (!m.get(x, y)) {
                        x++;
                        continue;
                    }
                    int start = x;
                    while (x < m.getWidth() && m.get(x, y)) {
                        x++;
                    }
                    d.append('M').append(start).append(' ').append(y).append('h').append(x - start).append("v1h-")
                            .append(x - start).append('z');
                }
            }
            return new Code(m.getWidth(), d.toString());
        } catch (WriterException e) {
            throw new IllegalArgumentException("no QR code holds this text", e);
        }
    }
}
