package io.cachet.web.internal.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Whether a raw query string decodes: every {@code %} followed by two hex digits, and the bytes UTF-8. */
final class QueryEncoding {

    private QueryEncoding() {
    }

    static boolean valid(String query) {
        if (query == null || query.indexOf('%') < 0) {
            return true;
        }
        ByteBuffer bytes = ByteBuffer.allocate(query.length() * 4);
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c == '%') {
                if (i + 2 >= query.length()) {
                    return false;
                }
                int hi = Character.digit(query.charAt(i + 1), 16);
                int lo = Character.digit(query.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return false;
                }
                bytes.put((byte) (hi * 16 + lo));
                i += 2;
            } else {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes.flip();
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
