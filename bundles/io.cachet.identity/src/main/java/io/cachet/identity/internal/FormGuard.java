package io.cachet.identity.internal;

import java.security.SecureRandom;
import java.util.Arrays;

import io.cachet.api.security.SecretVault;
import io.cachet.api.store.Database;
import io.cachet.api.web.PublicFormTokens;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Anti-forgery tokens ({@link PublicFormTokens}) of the identity pages' one public form (the fresh-link request):
 * cookie {@value #COOKIE} on {@code /identity}, field {@value #FIELD}, the key stored sealed in {@code identity_key}.
 * Thread-safe.
 */
final class FormGuard {

    static final String COOKIE = "cachet_identity_form";
    static final String FIELD = "csrf";

    private final PublicFormTokens tokens;

    private FormGuard(byte[] key, SecureRandom random) {
        this.tokens = new PublicFormTokens(COOKIE, "/identity", FIELD, key, random);
    }

    static FormGuard load(Database database, SecretVault vault, SecureRandom random) {
        CaseService.migrate(database);
        byte[] k = PublicFormTokens.loadKey(database, vault, "identity_key", "form-key", "identity.form-key",
                "The identity pages' form key", random);
        try {
            return new FormGuard(k, random);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    String token(HttpServletRequest request, HttpServletResponse response, String form) {
        return tokens.token(request, response, form);
    }

    boolean valid(HttpServletRequest request, String form) {
        return tokens.valid(request, form);
    }
}
