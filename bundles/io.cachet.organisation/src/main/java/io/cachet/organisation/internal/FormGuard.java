package io.cachet.organisation.internal;

import java.security.SecureRandom;
import java.util.Arrays;

import io.cachet.api.security.SecretVault;
import io.cachet.api.store.Database;
import io.cachet.api.web.PublicFormTokens;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Anti-forgery tokens ({@link PublicFormTokens}) of the upload form: cookie {@value #COOKIE} on {@code /organisation},
 * field {@value #FIELD}, the key stored sealed in {@code organisation_key}. Thread-safe.
 */
final class FormGuard {

    static final String COOKIE = "cachet_organisation_form";
    static final String FIELD = "csrf";

    private final PublicFormTokens tokens;

    FormGuard(byte[] key, SecureRandom random) {
        this.tokens = new PublicFormTokens(COOKIE, "/organisation", FIELD, key, random);
    }

    static FormGuard load(Database database, SecretVault vault, SecureRandom random) {
        OrganisationService.migrate(database);
        byte[] k = PublicFormTokens.loadKey(database, vault, "organisation_key", "form-key", "organisation.form-key",
                "The organisation pages' form key", random);
        try {
            return new FormGuard(k, random);
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }

    String token(HttpServletRequest request, HttpServletResponse response, String form) {
        return tokens.token(request, response, form);
    }

    boolean valid(HttpServletRequest request, String form, String given) {
        return tokens.valid(request, form, given);
    }
}
