package io.cachet.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A PKCS#11 URI (RFC 7512) naming a token and a key, e.g.
 * {@code pkcs11:token=ACME%20seal;object=seal?module-path=/usr/lib/libeTPkcs11.so}.
 *
 * <p>Written here because no maintained Java library parses RFC 7512 URIs (the JDK's SunPKCS11 takes a
 * configuration file, not a URI); the grammar is small: {@code ;}-separated path attributes, {@code &}-separated
 * query attributes, percent-encoding. Attributes this command line does not use are refused rather than ignored,
 * so that a URI never selects less than its author meant.
 *
 * @param path path attributes ({@code token}, {@code serial}, {@code manufacturer}, {@code model}, {@code object},
 *        {@code id}, {@code type}), values decoded
 * @param query query attributes ({@code module-path}), values decoded
 */
record Pkcs11Uri(Map<String, String> path, Map<String, String> query) {

    private static final Set<String> PATH = Set.of("token", "serial", "manufacturer", "model", "object", "id",
            "type", "library-manufacturer", "library-description", "library-version", "slot-id",
            "slot-description", "slot-manufacturer");
    private static final Set<String> QUERY = Set.of("module-path", "module-name", "pin-source", "pin-value");

    static boolean looksLike(String key) {
        return key.regionMatches(true, 0, "pkcs11:", 0, 7);
    }

    /** @throws IllegalArgumentException naming what is wrong with the URI */
    static Pkcs11Uri parse(String uri) {
        if (!looksLike(uri)) {
            throw new IllegalArgumentException("a PKCS#11 URI starts with 'pkcs11:', not '" + uri + "'");
        }
        String rest = uri.substring(7);
        int q = rest.indexOf('?');
        String pathPart = q < 0 ? rest : rest.substring(0, q);
        String queryPart = q < 0 ? "" : rest.substring(q + 1);
        return new Pkcs11Uri(attributes(pathPart, ";", PATH, uri), attributes(queryPart, "&", QUERY, uri));
    }

    private static Map<String, String> attributes(String part, String separator, Set<String> known, String uri) {
        Map<String, String> map = new LinkedHashMap<>();
        if (part.isEmpty()) {
            return map;
        }
        for (String attribute : part.split(separator, -1)) {
            int eq = attribute.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + attribute + "' in " + uri + " is not name=value");
            }
            String name = attribute.substring(0, eq).toLowerCase(Locale.ROOT);
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown attribute '" + name + "' in " + uri + " (RFC 7512)");
            }
            if (map.put(name, decode(attribute.substring(eq + 1), uri)) != null) {
                throw new IllegalArgumentException("attribute '" + name + "' appears twice in " + uri);
            }
        }
        return map;
    }

    private static String decode(String value, String uri) {
        return new String(bytes(value, uri), StandardCharsets.UTF_8);
    }

    /** Percent-decoding to bytes, then UTF-8 ({@code id} values may be any bytes; Cachet's are UTF-8). */
    private static byte[] bytes(String value, String uri) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < value.length()) {
            int c = value.codePointAt(i);
            if (c == '%') {
                int hi = i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
                int lo = i + 2 < value.length() ? Character.digit(value.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException("a '%' is not followed by two hex digits in " + uri);
                }
                out.write(hi << 4 | lo);
                i += 3;
            } else {
                out.writeBytes(new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(c);
            }
        }
        return out.toByteArray();
    }

    String attribute(String name) {
        return path.get(name);
    }

    /**
     * The key's alias on a Cachet token: its {@code object} (CKA_LABEL) or else its {@code id} (CKA_ID, which Cachet
     * sets to the label's bytes); {@code null} when the URI names neither.
     */
    String keyAlias() {
        return path.containsKey("object") ? path.get("object") : path.get("id");
    }
}
