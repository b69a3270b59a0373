package io.cachet.identity.vendor.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import io.cachet.api.identity.ProviderResult;

/**
 * The vendor's configuration, checked: every problem is an {@link IllegalArgumentException} naming the field (the
 * component then does not start, and says why in the log). Holds the secrets in memory; its {@link #toString()}
 * does not show them.
 */
final class VendorSettings {

    private static final Pattern PROVIDER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    final String providerId;
    final URI baseUrl;
    final boolean allowLocalhost;
    final String apiKey;
    final List<String> webhookSecrets;
    final String signatureHeader;
    final String timestampHeader;
    final Duration tolerance;
    final int maxBodyBytes;
    final Duration connectTimeout;
    final Duration requestTimeout;
    final String callbackUrl;
    final String returnUrl;
    final boolean sendExpectedPerson;
    final ResultMapping mapping;

    VendorSettings(VendorConfiguration c, UnaryOperator<String> env) {
        String id = c.cachet_identity_provider() == null ? "" : c.cachet_identity_provider().strip();
        if (!PROVIDER_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("cachet.identity.provider must be lower case letters, digits and '-'"
                    + " (e.g. vendor)");
        }
        this.providerId = id;
        this.allowLocalhost = c.allowLocalhost();
        this.baseUrl = checkUrl("baseUrl", c.baseUrl(), allowLocalhost, true);
        this.apiKey = SecretReference.resolve("apiKey", c.apiKey(), true, env);
        List<String> secrets = new ArrayList<>();
        secrets.add(SecretReference.resolve("webhookSecret", c.webhookSecret(), true, env));
        String previous = SecretReference.resolve("previousWebhookSecret", c.previousWebhookSecret(), false, env);
        if (previous != null) {
            secrets.add(previous);
        }
        this.webhookSecrets = List.copyOf(secrets);
        this.signatureHeader = header("signatureHeader", c.signatureHeader());
        this.timestampHeader = header("timestampHeader", c.timestampHeader());
        if (c.toleranceSeconds() < 1 || c.toleranceSeconds() > 3600) {
            throw new IllegalArgumentException("toleranceSeconds must be 1 to 3600");
        }
        this.tolerance = Duration.ofSeconds(c.toleranceSeconds());
        if (c.maxBodyBytes() < 1024 || c.maxBodyBytes() > 1024 * 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be 1024 to 1048576");
        }
        this.maxBodyBytes = c.maxBodyBytes();
        if (c.connectTimeoutSeconds() < 1 || c.requestTimeoutSeconds() < 1) {
            throw new IllegalArgumentException("connectTimeoutSeconds and requestTimeoutSeconds must be 1 or more");
        }
        this.connectTimeout = Duration.ofSeconds(c.connectTimeoutSeconds());
        this.requestTimeout = Duration.ofSeconds(c.requestTimeoutSeconds());
        this.callbackUrl = optionalUrl("callbackUrl", c.callbackUrl(), allowLocalhost);
        this.returnUrl = optionalUrl("returnUrl", c.returnUrl(), allowLocalhost);
        this.sendExpectedPerson = c.sendExpectedPerson();
        this.mapping = new ResultMapping(c.eventIdField(), c.sessionField(), c.outcomeField(), c.surnameField(),
                c.givenNamesField(), c.birthDateField(), c.documentTypeField(), c.documentNumberField(),
                c.expiryDateField(), c.checksField(), outcomes(c.outcomeMapping()),
                pairs("documentTypeMapping", c.documentTypeMapping()));
    }

    private static String header(String field, String value) {
        if (value == null || !value.strip().matches("[A-Za-z0-9-]{1,64}")) {
            throw new IllegalArgumentException(field + " must be an HTTP header name");
        }
        return value.strip();
    }

    private static String optionalUrl(String field, String value, boolean allowLocalhost) {
        return value == null || value.isBlank() ? null : checkUrl(field, value, allowLocalhost, false).toString();
    }

    /**
     * An absolute https URL with a host, no user info nor fragment; http only to this machine when allowed.
     *
     * @throws IllegalArgumentException naming {@code field}
     */
    static URI checkUrl(String field, String value, boolean allowLocalhost, boolean stripSlash) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required: an https URL");
        }
        URI uri;
        try {
            uri = new URI(value.strip()).normalize();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(field + " is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.isEmpty() || uri.getRawUserInfo() != null || uri.getRawFragment() != null || uri.getRawQuery() != null
                && stripSlash) {
            throw new IllegalArgumentException(field + " must be an absolute https URL with a host, without user name,"
                    + " password, query or fragment");
        }
        if (scheme.equals("http")) {
            if (!(LOCAL_HOSTS.contains(host) && allowLocalhost)) {
                throw new IllegalArgumentException(field + " must use https (http only to this machine, with"
                        + " allowLocalhost)");
            }
        } else if (!scheme.equals("https")) {
            throw new IllegalArgumentException(field + " must use https");
        }
        if (stripSlash && uri.toString().endsWith("/")) {
            String s = uri.toString();
            uri = URI.create(s.substring(0, s.length() - 1));
        }
        return uri;
    }

    static Map<String, ProviderResult.Outcome> outcomes(String[] entries) {
        Map<String, ProviderResult.Outcome> out = new LinkedHashMap<>();
        pairs("outcomeMapping", entries).forEach((k, v) -> {
            try {
                out.put(k, ProviderResult.Outcome.valueOf(v.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("outcomeMapping: " + k + "=" + v
                        + " must map to VERIFIED, REJECTED or INCONCLUSIVE");
            }
        });
        return out;
    }

    static Map<String, String> pairs(String field, String[] entries) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String e : entries == null ? new String[0] : entries) {
            for (String part : e.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                int eq = part.indexOf('=');
                if (eq <= 0 || eq == part.length() - 1) {
                    throw new IllegalArgumentException(field + ": '" + part.strip() + "' is not value=value");
                }
                out.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "vendor " + providerId + " at " + baseUrl + " (secrets not shown)";
    }
}
