package io.cachet.token.soft.internal;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * The few DER encodings the software token writes itself: DigestInfo for PKCS#1 v1.5 and the placeholder
 * certificate that the JDK's PKCS#12 key store needs next to every private key. No parsing, no cryptography.
 */
final class Der {

    static final byte[] NULL = {0x05, 0x00};

    private Der() {
    }

    static byte[] sequence(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    static byte[] integer(BigInteger value) {
        return tlv(0x02, value.toByteArray());
    }

    static byte[] octetString(byte[] value) {
        return tlv(0x04, value);
    }

    static byte[] bitString(byte[] value) {
        byte[] bits = new byte[value.length + 1]; // leading byte: no unused bits
        System.arraycopy(value, 0, bits, 1, value.length);
        return tlv(0x03, bits);
    }

    static byte[] utf8String(String value) {
        return tlv(0x0c, value.getBytes(StandardCharsets.UTF_8));
    }

    /** @param time {@code YYMMDDHHMMSSZ} */
    static byte[] utcTime(String time) {
        return tlv(0x17, time.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] oid(long... arcs) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.write((int) (arcs[0] * 40 + arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            long arc = arcs[i];
            int groups = 1;
            while (arc >>> (7 * groups) != 0) {
                groups++;
            }
            for (int g = groups - 1; g >= 0; g--) {
                content.write((int) ((arc >>> (7 * g)) & 0x7f) | (g == 0 ? 0 : 0x80));
            }
        }
        return tlv(0x06, content.toByteArray());
    }

    static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int length = value.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
