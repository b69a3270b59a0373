package io.cachet.token.soft.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import io.cachet.api.token.TokenException;

/**
 * What a software token keeps beside its PKCS#12 file, as a properties file. Holds no secret: the SO PIN only as
 * a PBKDF2 hash.
 *
 * @param label token label
 * @param serial random hex serial number
 * @param soPinHash PBKDF2 hash of the SO PIN ({@link Pins#hash})
 * @param failedTries wrong user PINs since the last right one
 * @param maxTries wrong user PINs that lock the token
 * @param mustChange the holder must replace the user PIN
 * @param unblockAllowed whether the security officer may unblock a locked user PIN
 * @param minLength minimum user PIN length of the policy
 * @param keyStoreDigests Base64 SHA-256 of the PKCS#12 file contents that belong to this metadata: one, or two
 *        while the file is being replaced (so that a crash between the two writes leaves a readable token)
 */
record TokenMetadata(String label, String serial, String soPinHash, int failedTries, int maxTries,
        boolean mustChange, boolean unblockAllowed, int minLength, List<String> keyStoreDigests) {

    private static final String FORMAT = "1";

    TokenMetadata {
        keyStoreDigests = List.copyOf(keyStoreDigests);
    }

    /** Without the SO PIN hash, for diagnostics. */
    @Override
    public String toString() {
        return "TokenMetadata[label=" + label + ", serial=" + serial + ", failedTries=" + failedTries + ", maxTries="
                + maxTries + ", mustChange=" + mustChange + ", unblockAllowed=" + unblockAllowed + ", minLength="
                + minLength + "]";
    }

    boolean locked() {
        return failedTries >= maxTries;
    }

    int triesLeft() {
        return Math.max(0, maxTries - failedTries);
    }

    TokenMetadata withFailedTries(int tries) {
        return new TokenMetadata(label, serial, soPinHash, tries, maxTries, mustChange, unblockAllowed, minLength,
                keyStoreDigests);
    }

    TokenMetadata withMustChange(boolean change) {
        return new TokenMetadata(label, serial, soPinHash, failedTries, maxTries, change, unblockAllowed, minLength,
                keyStoreDigests);
    }

    TokenMetadata withKeyStoreDigests(List<String> digests) {
        return new TokenMetadata(label, serial, soPinHash, failedTries, maxTries, mustChange, unblockAllowed,
                minLength, digests);
    }

    byte[] encode() {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("label", label);
        p.setProperty("serial", serial);
        p.setProperty("soPinHash", soPinHash);
        p.setProperty("failedTries", Integer.toString(failedTries));
        p.setProperty("maxTries", Integer.toString(maxTries));
        p.setProperty("mustChange", Boolean.toString(mustChange));
        p.setProperty("unblockAllowed", Boolean.toString(unblockAllowed));
        p.setProperty("minLength", Integer.toString(minLength));
        p.setProperty("keyStoreDigests", String.join(",", keyStoreDigests));
        StringWriter out = new StringWriter();
        try {
            p.store(out, "Cachet software token: metadata of the PKCS#12 file beside it. Do not edit.");
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** @throws TokenException {@code DEVICE_ERROR} naming {@code file} when the content is not valid metadata */
    static TokenMetadata decode(byte[] content, Path file) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(content, StandardCharsets.UTF_8)));
            if (!FORMAT.equals(p.getProperty("format"))) {
                throw new IllegalArgumentException("unknown format " + p.getProperty("format"));
            }
            TokenMetadata m = new TokenMetadata(required(p, "label"), required(p, "serial"),
                    required(p, "soPinHash"), number(p, "failedTries", 0), number(p, "maxTries", 1),
                    bool(p, "mustChange"), bool(p, "unblockAllowed"), number(p, "minLength", 1),
                    Arrays.stream(required(p, "keyStoreDigests").split(",")).filter(s -> !s.isBlank()).toList());
            if (m.keyStoreDigests().isEmpty() || !m.serial().matches("[0-9a-f]{16}")) {
                throw new IllegalArgumentException("no key store digest or a malformed serial");
            }
            return m;
        } catch (IOException | IllegalArgumentException e) {
            throw new TokenException(TokenException.Reason.DEVICE_ERROR,
                    "Software token metadata " + file + " is corrupt (" + e.getMessage() + "); restore it from a "
                    + "backup together with its .p12 file", e);
        }
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("missing " + key);
        }
        return value;
    }

    private static int number(Properties p, String key, int min) {
        int value = Integer.parseInt(required(p, key).trim());
        if (value < min) {
            throw new IllegalArgumentException(key + " below " + min);
        }
        return value;
    }

    private static boolean bool(Properties p, String key) {
        String value = required(p, key).trim();
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException(key + " is neither true nor false");
        }
        return Boolean.parseBoolean(value);
    }
}
