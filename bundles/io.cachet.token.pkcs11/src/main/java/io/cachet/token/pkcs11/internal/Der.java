package io.cachet.token.pkcs11.internal;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;

/** The little DER this driver writes and reads itself: lengths, INTEGERs, OCTET STRINGs, SEQUENCEs. */
final class Der {

    private Der() {
    }

    static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        writeLength(out, content.length);
        out.writeBytes(content);
        return out.toByteArray();
    }

    static byte[] sequence(byte[]... elements) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] e : elements) {
            content.writeBytes(e);
        }
        return tlv(0x30, content.toByteArray());
    }

    static byte[] integer(BigInteger value) {
        return tlv(0x02, value.toByteArray());
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
    }

    /**
     * The content of a DER OCTET STRING that spans all of {@code encoded}, or {@code null} when {@code encoded} is
     * not one.
     */
    static byte[] octetStringContent(byte[] encoded) {
        if (encoded.length < 2 || encoded[0] != 0x04) {
            return null;
        }
        int first = encoded[1] & 0xff;
        int offset;
        int length;
        if (first < 0x80) {
            offset = 2;
            length = first;
        } else {
            int count = first & 0x7f;
            if (count == 0 || count > 3 || encoded.length < 2 + count) {
                return null;
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (encoded[2 + i] & 0xff);
            }
            offset = 2 + count;
        }
        return offset + length == encoded.length ? Arrays.copyOfRange(encoded, offset, encoded.length) : null;
    }
}
