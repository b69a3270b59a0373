package io.cachet.identity.vendor.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * PID {@code io.cachet.identity.vendor}, required: without it the provider, its webhook and its table do not exist.
 *
 * <p>Secrets ({@code apiKey}, {@code webhookSecret}, {@code previousWebhookSecret}) are references, like Cachet's
 * other secrets: {@code file:/path} (the file's first line, read as {@code SecretFiles} reads PIN files) or
 * {@code env:NAME} (an environment variable); any other value is the secret itself (tests only: it then sits in
 * Configuration Admin's files). They are never logged nor shown.
 *
 * <p>The webhook ({@code POST /api/v1/identity/vendor/webhook}) is authenticated so: header {@code timestampHeader}
 * carries the Unix time in seconds when the vendor signed; header {@code signatureHeader} carries
 * {@code sha256=<lower-case hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>}, several comma-separated entries
 * allowed (a vendor rotating its secret); the key is the secret's UTF-8 bytes. Shell equivalent:
 * {@code printf '%s.%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET"}.
 */
@ObjectClassDefinition(name = "Cachet identity: external proofing vendor", description = "An external identity"
        + " proofing service: Cachet creates a session with the vendor's API, sends the person to the vendor's page and"
        + " receives the result on POST /api/v1/identity/vendor/webhook, signed: header X-Vendor-Timestamp (Unix seconds)"
        + " and X-Vendor-Signature: sha256=<hex HMAC-SHA256(webhook secret, \"<timestamp>.<raw body>\")>. The result goes"
        + " to an operator, who confirms. Secrets: file:/path or env:NAME")
public @interface VendorConfiguration {

    @AttributeDefinition(name = "Provider id", description = "The IdentityProvider id cases use to name this vendor"
            + " (io.cachet.identity's default provider or its per brand / per reseller rules). Lower case letters,"
            + " digits and '-'")
    String cachet_identity_provider() default "vendor";

    @AttributeDefinition(name = "Vendor API base URL", description = "https://...; sessions are created with POST"
            + " <base>/sessions. http only to localhost/127.0.0.1/[::1] and only with 'Allow http to this machine'")
    String baseUrl();

    @AttributeDefinition(name = "Allow http to this machine", description = "Accept an http:// base URL on"
            + " localhost, 127.0.0.1 or [::1] (tests, a local gateway). Otherwise https only")
    boolean allowLocalhost() default false;

    @AttributeDefinition(name = "API key", type = AttributeType.PASSWORD, description = "Sent as 'Authorization:"
            + " Bearer <key>' to the vendor's API: file:/path, env:NAME (or the key itself, tests only)")
    String apiKey();

    @AttributeDefinition(name = "Webhook secret", type = AttributeType.PASSWORD, description = "The HMAC-SHA256 key"
            + " the vendor signs its webhooks with: file:/path, env:NAME (or the secret itself, tests only)")
    String webhookSecret();

    @AttributeDefinition(name = "Previous webhook secret", type = AttributeType.PASSWORD, required = false,
            description = "During a rotation: the former secret, still accepted until it is removed from here")
    String previousWebhookSecret() default "";

    @AttributeDefinition(name = "Signature header", description = "Header carrying sha256=<hex> entries")
    String signatureHeader() default "X-Vendor-Signature";

    @AttributeDefinition(name = "Timestamp header", description = "Header carrying the signing time, Unix seconds")
    String timestampHeader() default "X-Vendor-Timestamp";

    @AttributeDefinition(name = "Timestamp tolerance (s)", min = "1", max = "3600", description = "A webhook signed"
            + " longer ago (or further in the future) than this is refused (401): a captured webhook cannot be replayed"
            + " later. Event ids are remembered for at least twice this long")
    int toleranceSeconds() default 300;

    @AttributeDefinition(name = "Largest webhook body (bytes)", min = "1024", max = "1048576")
    int maxBodyBytes() default 64 * 1024;

    @AttributeDefinition(name = "Connect time limit (s)", min = "1")
    int connectTimeoutSeconds() default 5;

    @AttributeDefinition(name = "Answer time limit (s)", min = "1", description = "Time limit for the vendor's answer"
            + " when a session is created; beyond it the person is told to try again later")
    int requestTimeoutSeconds() default 10;

    @AttributeDefinition(name = "Callback URL", required = false, description = "Sent to the vendor as callback_url"
            + " when a session is created: this server's public address of the webhook, e.g."
            + " https://cachet.example/api/v1/identity/vendor/webhook. Empty: not sent (set on the vendor's side)")
    String callbackUrl() default "";

    @AttributeDefinition(name = "Return URL", required = false, description = "Sent as return_url: where the vendor"
            + " sends the person when they are done. Empty: not sent")
    String returnUrl() default "";

    @AttributeDefinition(name = "Send the expected person", description = "Send the order's surname, given names and"
            + " birth date with the session (some vendors compare them). Off: only the case reference")
    boolean sendExpectedPerson() default false;

    @AttributeDefinition(name = "Field: event id", description = "Path of the event's unique id in the webhook JSON"
            + " (dots for nested objects); an id seen before is refused as a replay (409)")
    String eventIdField() default "event_id";

    @AttributeDefinition(name = "Field: session id", description = "Path of the vendor's session id (the id its API"
            + " answered when the session was created)")
    String sessionField() default "session_id";

    @AttributeDefinition(name = "Field: outcome")
    String outcomeField() default "status";

    @AttributeDefinition(name = "Field: surname")
    String surnameField() default "document.surname";

    @AttributeDefinition(name = "Field: given names")
    String givenNamesField() default "document.given_names";

    @AttributeDefinition(name = "Field: birth date", description = "ISO date yyyy-MM-dd")
    String birthDateField() default "document.birth_date";

    @AttributeDefinition(name = "Field: document type")
    String documentTypeField() default "document.type";

    @AttributeDefinition(name = "Field: document number")
    String documentNumberField() default "document.number";

    @AttributeDefinition(name = "Field: expiry date", description = "ISO date yyyy-MM-dd")
    String expiryDateField() default "document.expiry_date";

    @AttributeDefinition(name = "Field: checks", description = "Path of an object of the vendor's own checks,"
            + " {\"liveness\": true, ...}; each becomes a check vendor.<name> shown to the operator")
    String checksField() default "checks";

    @AttributeDefinition(name = "Outcome mapping", description = "vendor value=VERIFIED|REJECTED|INCONCLUSIVE; a value"
            + " not listed is INCONCLUSIVE (the operator decides)")
    String[] outcomeMapping() default { "approved=VERIFIED", "declined=REJECTED", "review=INCONCLUSIVE" };

    @AttributeDefinition(name = "Document type mapping", description = "vendor value=catalogue id (see"
            + " /identity/documents); a value not listed is passed on as it is")
    String[] documentTypeMapping() default { "passport=passport", "id_card=eu-id-card",
            "residence_permit=fr-titre-sejour" };
}
