package io.cachet.identity.mobile.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.cachet.api.security.SecretVault;
import io.cachet.api.store.Database;
import io.cachet.api.store.StoreException;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Anti-forgery tokens of the flow's forms and uploads (as the portal's): the browser gets a random cookie
 * ({@value #COOKIE}, HttpOnly, SameSite=Lax, path {@code /identity}) and each form or upload carries
 * HMAC-SHA256(key, cookie ‖ form) in the field {@value #FIELD} or the header {@value #HEADER}. The form name binds a
 * token to one flow. A site that makes a browser post here can neither read the cookie nor compute the HMAC; and
 * since the post carries a cookie, the HTTP guard also requires it to come from this server's origin. The key is one
 * per deployment, kept in the database sealed with the master key. Thread-safe.
 */
final class FormTokens {

    static final String COOKIE = "cachet_identity";
    static final String FIELD = "csrf";
    static final String HEADER = "X-Cachet-Form";
    private static final String KEY_NAME = "form-key";
    private static final String PURPOSE = "identity-mobile.form-key";
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final byte[] key;
    private final SecureRandom random;

    FormTokens(byte[] key, SecureRandom random) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the form key must have 256 bits");
        }
        this.key = key.clone();
        this.random = random;
    }

    /** The deployment's key: read from {@code identity_mobile_key}, made and stored (sealed) the first time. */
    static FormTokens load(Database database, SecretVault vault, SecureRandom random) {
        for (int attempt = 0; attempt < 2; attempt++) {
            Optional<String> sealed = database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT sealed FROM identity_mobile_key WHERE name = ?")) {
                    ps.setString(1, KEY_NAME);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                    }
                }
            });
            if (sealed.isPresent()) {
                try {
                    byte[] k = vault.open(PURPOSE, Base64.getDecoder().decode(sealed.get()));
                    try {
                        return new FormTokens(k, random);
                    } finally {
                        Arrays.fill(k, (byte) 0);
                    }
                } catch (GeneralSecurityException | IllegalArgumentException e) {
                    throw new IllegalStateException("The phone flow's form key (table identity_mobile_key) does not"
                            + " open with this master key: " + e.getMessage(), e);
                }
            }
            byte[] k = new byte[32];
            random.nextBytes(k);
            try {
                String value = Base64.getEncoder().encodeToString(vault.seal(PURPOSE, k));
                database.inTransaction(c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO identity_mobile_key (name, sealed) VALUES (?, ?)")) {
                        ps.setString(1, KEY_NAME);
                        ps.setString(2, value);
                        return ps.executeUpdate();
                    }
                });
                return new FormTokens(k, random);
            } catch (StoreException e) {
                // another node stored its key first: read that one
            } finally {
                Arrays.fill(k, (byte) 0);
            }
        }
        throw new IllegalStateException("The phone flow's form key could neither be read nor stored");
    }

    /** The token for {@code form} of this browser, setting the browser's cookie first when it has none. */
    String token(HttpServletRequest request, HttpServletResponse response, String form) {
        String nonce = cookie(request).orElse(null);
        if (nonce == null) {
            byte[] b = new byte[32];
            random.nextBytes(b);
            nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
            StringBuilder c = new StringBuilder(COOKIE).append('=').append(nonce)
                    .append("; Path=/identity; HttpOnly; SameSite=Lax");
            if (request.isSecure()) {
                c.append("; Secure");
            }
            response.addHeader("Set-Cookie", c.toString());
            request.setAttribute(COOKIE, nonce);
        }
        return mac(nonce, form);
    }

    /** Whether the request carries this browser's token for {@code form} (field or header), in constant time. */
    boolean valid(HttpServletRequest request, String form, String given) {
        Optional<String> nonce = cookie(request);
        if (nonce.isEmpty() || given == null) {
            return false;
        }
        return MessageDigest.isEqual(mac(nonce.get(), form).getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII));
    }

    private static Optional<String> cookie(HttpServletRequest request) {
        Object set = request.getAttribute(COOKIE);
        if (set instanceof String s) {
            return Optional.of(s);
        }
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (COOKIE.equals(c.getName()) && c.getValue() != null && NONCE.matcher(c.getValue()).matches()) {
                    return Optional.of(c.getValue());
                }
            }
        }
        return Optional.empty();
    }

    private String mac(String nonce, String form) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] out = mac.doFinal((nonce + "\n" + form).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
