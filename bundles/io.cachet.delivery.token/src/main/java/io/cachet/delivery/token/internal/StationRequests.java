package io.cachet.delivery.token.internal;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

/**
 * The request bodies of the token delivery's REST API as the generated OpenAPI description shows them to the
 * integrator of a provisioning station (or of the holder's activation report). The resources read the fields one by
 * one ({@link Json#field}, {@link Json#flag}), so that a missing field is the service's own message, naming what to
 * send; these records only describe them.
 */
final class StationRequests {

    private StationRequests() {
    }

    private static final String SERIAL = "the token's serial number as its PKCS#11 token information gives it"
            + " (CK_TOKEN_INFO.serialNumber); the same in every step of an attempt";

    @Schema(name = "TokenProvisioningStart")
    public record Start(@Schema(requiredMode = RequiredMode.REQUIRED, description = SERIAL) String tokenSerial,
            @Schema(description = "CK_TOKEN_INFO.manufacturerID, at most 100 characters") String manufacturer,
            @Schema(description = "CK_TOKEN_INFO.model, at most 100 characters") String model,
            @Schema(description = "CK_TOKEN_INFO.firmwareVersion, at most 64 characters") String firmware,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "the PEM public key (SubjectPublicKeyInfo) of"
                    + " an RSA key of at least 3072 bits made for this run: a PIN held for a resumed attempt comes"
                    + " back encrypted to it (RSA-OAEP-256)") String resumeKey) {
    }

    @Schema(name = "TokenProvisioningInitialised")
    public record Initialised(@Schema(requiredMode = RequiredMode.REQUIRED, description = SERIAL) String tokenSerial,
            @Schema(requiredMode = RequiredMode.REQUIRED) EncryptedPin pin) {
    }

    @Schema(name = "TokenEncryptedPin", description = "The initialisation PIN encrypted to the pin-key"
            + " (GET /api/v1/token-delivery/pin-key)")
    public record EncryptedPin(@Schema(requiredMode = RequiredMode.REQUIRED, description = "the pin-key's id")
            String keyId,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "the PIN's digits, RSA-OAEP-256, Base64")
            String ciphertext) {
    }

    @Schema(name = "TokenProvisioningKey", description = "The key pair made on the token and its attributes as read"
            + " back: a qualified seal key must be sensitive and never extractable")
    public record Key(@Schema(requiredMode = RequiredMode.REQUIRED, description = SERIAL) String tokenSerial,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "the key's public key in PEM (-----BEGIN"
                    + " PUBLIC KEY-----), of the algorithm this deployment certifies") String publicKey,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "CKA_SENSITIVE: must be true")
            Boolean sensitive,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "CKA_EXTRACTABLE: must be false")
            Boolean extractable,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "CKA_ALWAYS_SENSITIVE: must be true")
            Boolean alwaysSensitive,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "CKA_NEVER_EXTRACTABLE: must be true")
            Boolean neverExtractable) {
    }

    @Schema(name = "TokenProvisioningCsr")
    public record Csr(@Schema(requiredMode = RequiredMode.REQUIRED, description = SERIAL) String tokenSerial,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "the PKCS#10 request signed on the token with"
                    + " its key, in PEM (-----BEGIN CERTIFICATE REQUEST-----)") String csr) {
    }

    @Schema(name = "TokenProvisioningStep")
    public record Step(@Schema(requiredMode = RequiredMode.REQUIRED, description = SERIAL) String tokenSerial) {
    }

    @Schema(name = "TokenProvisioningFailure")
    public record Failure(@Schema(requiredMode = RequiredMode.REQUIRED, description = SERIAL) String tokenSerial,
            @Schema(description = "the station's step that stopped, at most 50 characters") String step,
            @Schema(description = "what went wrong, at most 500 characters") String error) {
    }

    @Schema(name = "TokenPinUnlock")
    public record Unlock(@Schema(requiredMode = RequiredMode.REQUIRED, description = "why support reopens the PIN's"
            + " retrieval, at most 500 characters (kept in the audit log)") String reason) {
    }

    @Schema(name = "TokenActivation")
    public record Activation(@Schema(requiredMode = RequiredMode.REQUIRED, description = "the certificate manager's"
            + " status link, the URL from the order e-mail or its last segment") String link,
            @Schema(requiredMode = RequiredMode.REQUIRED, description = "the serial number of the token received")
            String tokenSerial) {
    }
}
