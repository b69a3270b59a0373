package io.cachet.api.web;

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
 * Anti-forgery tokens of public forms, which have no session to bind to: the browser gets a random cookie
 * (HttpOnly, SameSite=Lax, on the given path) and each form carries HMAC-SHA256(key, cookie ‖ form) in a hidden field
 * (or, for a script's upload, a header). The form name binds a token to one form. A site that makes a browser post
 * here can neither read the cookie nor compute the HMAC; and since the post then carries a cookie, the HTTP guard
 * also requires it to come from this server's origin. The key is one per deployment, kept in the database sealed with
 * the master key ({@link #loadKey}), so every node and every restart accepts the forms of the others. Thread-safe.
 */
public final class PublicFormTokens {

    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern TABLE = Pattern.compile("[a-z][a-z0-9_]*");

    private final String cookie;
    private final String path;
    private final String field;
    private final byte[] key;
    private final SecureRandom random;

    /**
     * @param cookie name of the browser's cookie (letters, digits, {@code _} and {@code -})
     * @param path the cookie's path, e.g. {@code /order}
     * @param field the form field that carries the token
     * @param key the deployment's key, at least 256 bits (copied)
     */
    public PublicFormTokens(String cookie, String path, String field, byte[] key, SecureRandom random) {
        if (!cookie.matches("[A-Za-z0-9_-]+") || !path.matches("/[A-Za-z0-9/_.-]*") || field.isEmpty()) {
            throw new IllegalArgumentException("a cookie name, a path and a field are needed");
        }
        if (key.length < 32) {
            throw new IllegalArgumentException("the form key must have 256 bits");
        }
        this.cookie = cookie;
        this.path = path;
        this.field = field;
        this.key = key.clone();
        this.random = random;
    }

    /** The name of the browser's cookie. */
    public String cookieName() {
        return cookie;
    }

    /** The form field that carries the token. */
    public String field() {
        return field;
    }

    /** The token for {@code form} of this browser, setting the browser's cookie first when it has none. */
    public String token(HttpServletRequest request, HttpServletResponse response, String form) {
        String nonce = nonce(request).orElse(null);
        if (nonce == null) {
            byte[] b = new byte[32];
            random.nextBytes(b);
            nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
            StringBuilder c = new StringBuilder(cookie).append('=').append(nonce)
                    .append("; Path=").append(path).append("; HttpOnly; SameSite=Lax");
            if (request.isSecure()) {
                c.append("; Secure");
            }
            response.addHeader("Set-Cookie", c.toString());
            request.setAttribute(cookie, nonce); // a second form on the same page uses the same one
        }
        return mac(nonce, form);
    }

    /** Whether the post carries this browser's token for {@code form} in the {@linkplain #field() field}. */
    public boolean valid(HttpServletRequest request, String form) {
        return valid(request, form, request.getParameter(field));
    }

    /** Whether {@code given} (from a field or a header) is this browser's token for {@code form}, in constant time. */
    public boolean valid(HttpServletRequest request, String form, String given) {
        Optional<String> nonce = nonce(request);
        if (nonce.isEmpty() || given == null) {
            return false;
        }
        return MessageDigest.isEqual(mac(nonce.get(), form).getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII));
    }

    private Optional<String> nonce(HttpServletRequest request) {
        Object set = request.getAttribute(cookie);
        if (set instanceof String s) {
            return Optional.of(s);
        }
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (cookie.equals(c.getName()) && c.getValue() != null && NONCE.matcher(c.getValue()).matches()) {
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

    /**
     * The deployment's key {@code name}: read from {@code table} (columns {@code name} primary key, {@code sealed}
     * Base64 text) and opened with {@code vault} for {@code purpose}; made (256 random bits) and stored sealed the
     * first time. When another node stores its key first (the primary key refuses ours), that one is read. The caller
     * wipes the returned key after use.
     *
     * @param owner what the key belongs to, for error messages, e.g. {@code "The portal's form key"}
     * @throws IllegalStateException when the stored key does not open with this master key, or no key could be
     *         read or stored
     */
    public static byte[] loadKey(Database database, SecretVault vault, String table, String name, String purpose,
            String owner, SecureRandom random) {
        if (!TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("not a table name: " + table);
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            Optional<String> sealed = database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT sealed FROM " + table + " WHERE name = ?")) {
                    ps.setString(1, name);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                    }
                }
            });
            if (sealed.isPresent()) {
                try {
                    return vault.open(purpose, Base64.getDecoder().decode(sealed.get()));
                } catch (GeneralSecurityException | IllegalArgumentException e) {
                    throw new IllegalStateException(owner + " (table " + table + ") does not open with this master key: "
                            + e.getMessage(), e);
                }
            }
            byte[] k = new byte[32];
            random.nextBytes(k);
            try {
                String value = Base64.getEncoder().encodeToString(vault.seal(purpose, k));
                database.inTransaction(c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO " + table + " (name, sealed) VALUES (?, ?)")) {
                        ps.setString(1, name);
                        ps.setString(2, value);
                        return ps.executeUpdate();
                    }
                });
                return k.clone();
            } catch (StoreException e) {
                // another node stored its key first (the primary key refused ours): read that one
            } finally {
                Arrays.fill(k, (byte) 0);
            }
        }
        throw new IllegalStateException(owner + " could neither be read nor stored");
    }
}
