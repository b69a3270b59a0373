package io.cachet.identity.mobile.internal;

import java.security.SecureRandom;
import java.util.Arrays;

import io.cachet.api.security.SecretVault;
import io.cachet.api.store.Database;
import io.cachet.api.web.PublicFormTokens;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The phone flow's anti-forgery tokens ({@link PublicFormTokens}): cookie {@value #COOKIE} on {@code /identity}, the
 * token in the field {@value #FIELD} of a form or the header {@value #HEADER} of an upload, the key stored sealed in
 * {@code identity_mobile_key}. Thread-safe.
 */
final class FormTokens {

    static final String COOKIE = "cachet_identity";
    static final String FIELD = "csrf";
    static final String HEADER = "X-Cachet-Form";

    private final PublicFormTokens tokens;

    FormTokens(byte[] key, SecureRandom random) {
        this.tokens = new PublicFormTokens(COOKIE, "/identity", FIELD, key, random);
    }

    /** The deployment's key: read from {@code identity_mobile_key}, made and stored (sealed) the first time. */
    static FormTokens load(Database database, SecretVault vault, SecureRandom random) {
        byte[] k = PublicFormTokens.loadKey(database, vault, "identity_mobile_key", "form-key",
                "identity-mobile.form-key", "The phone flow's form key", random);
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

    /** Whether the request carries this browser's token for {@code form} (field or header), in constant time. */
    boolean valid(HttpServletRequest request, String form, String given) {
        return tokens.valid(request, form, given);
    }
}
