package io.cachet.portal.internal;

import java.security.SecureRandom;
import java.util.Arrays;

import io.cachet.api.security.SecretVault;
import io.cachet.api.store.Database;
import io.cachet.api.web.PublicFormTokens;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The portal's anti-forgery tokens ({@link PublicFormTokens}): cookie {@value #COOKIE} on {@code /order}, field
 * {@value #FIELD}, the key stored sealed in {@code portal_key}. Thread-safe.
 */
final class FormTokens {

    static final String COOKIE = "cachet_form";
    static final String FIELD = "csrf";

    private final PublicFormTokens tokens;

    FormTokens(byte[] key, SecureRandom random) {
        this.tokens = new PublicFormTokens(COOKIE, "/order", FIELD, key, random);
    }

    /** The deployment's key: read from {@code portal_key}, made and stored (sealed) the first time. */
    static FormTokens load(Database database, SecretVault vault, SecureRandom random) {
        byte[] k = PublicFormTokens.loadKey(database, vault, "portal_key", "form-key", "portal.form-key",
                "The portal's form key", random);
        try {
            return new FormTokens(k, random);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    /** The token for {@code form} of this browser, setting the browser's cookie first when it has none. */
    String token(HttpServletRequest request, HttpServletResponse response, String form) {
        return tokens.token(request, response, form);
    }

    /** Whether the post carries this browser's token for {@code form}, compared in constant time. */
    boolean valid(HttpServletRequest request, String form) {
        return tokens.valid(request, form);
    }
}
