package io.cachet.identity.internal;

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
 * Anti-forgery tokens of the identity pages' one public form (the fresh-link request), which has no session to bind
 * to: the browser gets a random cookie ({@value #COOKIE}, HttpOnly, SameSite=Lax, path {@code /identity}) and the
 * form carries HMAC-SHA256(key, cookie ‖ form) in the hidden field {@value #FIELD}. The key is one per deployment,
 * stored sealed with the master key in {@code identity_key}, so every node accepts the forms of the others. The same
 * scheme as the portal's order forms. Thread-safe.
 */
final class FormGuard {

    static final String COOKIE = "cachet_identity_form";
    static final String FIELD = "csrf";
    private static final String KEY_NAME = "form-key";
    private static final String PURPOSE = "identity.form-key";
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final byte[] key;
    private final SecureRandom random;

    private FormGuard(byte[] key, SecureRandom random) {
        this.key = key.clone();
        this.random = random;
    }

    static FormGuard load(Database database, SecretVault vault, SecureRandom random) {
        CaseService.migrate(database);
        for (int attempt = 0; attempt < 2; attempt++) {
            Optional<String> sealed = database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT sealed FROM identity_key WHERE name = ?")) {
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
                        return new FormGuard(k, random);
                    } finally {
                        Arrays.fill(k, (byte) 0);
                    }
                } catch (GeneralSecurityException | IllegalArgumentException e) {
                    throw new IllegalStateException("The identity pages' form key (table identity_key) does not open"
                            + " with this master key: " + e.getMessage(), e);
                }
            }
            byte[] k = new byte[32];
            random.nextBytes(k);
            try {
                String value = Base64.getEncoder().encodeToString(vault.seal(PURPOSE, k));
                database.inTransaction(c -> {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO identity_key (name, sealed) VALUES"
                            + " (?, ?)")) {
                        ps.setString(1, KEY_NAME);
                        ps.setString(2, value);
                        return ps.executeUpdate();
                    }
                });
                return new FormGuard(k, random);
            } catch (StoreException e) {
                // another node stored its key first: read that one
            } finally {
                Arrays.fill(k, (byte) 0);
            }
        }
        throw new IllegalStateException("The identity pages' form key could neither be read nor stored");
    }

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

    boolean valid(HttpServletRequest request, String form) {
        Optional<String> nonce = cookie(request);
        String given = request.getParameter(FIELD);
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
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal((nonce + "\n" + form).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
