package io.cachet.delivery.token.internal;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The answers of the token delivery's REST API, as the generated OpenAPI description shows them; {@link Json} builds
 * them. Jackson writes a record's components in their order here, and null as null (the API's mapper writes nulls):
 * the names, the order and the nulls are the station's wire contract ({@code cachet-cli token provision}), so change
 * none of them. Times are ISO-8601 instants as text.
 */
final class TokenViews {

    private TokenViews() {
    }

    private static final String SERIAL = "the token's serial number as its PKCS#11 token information gives it"
            + " (CK_TOKEN_INFO.serialNumber)";

    @Schema(name = "TokenDelivery", description = "Where the order's token stands: provisioning, PIN custody,"
            + " activation")
    public record Delivery(String orderId,
            @Schema(description = "the provisioning attempt: 1 for the first token; a new token, or a lost one"
                    + " replaced, adds one") int attempt,
            @Schema(description = "how far the current attempt went", allowableValues = { "WAITING", "INITIALISED",
                "KEY_GENERATED", "CERTIFIED", "PROVISIONED", "ACTIVATED" }) String stage,
            @Schema(description = "the label written on the token") String tokenLabel,
            @Schema(description = SERIAL + ", once provisioning started on one; else null") String tokenSerial,
            @Schema(description = "the token's manufacturer and model as it reported them, or null") String tokenModel,
            @Schema(description = "the token's firmware version, or null") String tokenFirmware,
            @Schema(description = "the serial (lower-case hex) of the certificate issued for the token's key, or null")
            String certificateSerial,
            @Schema(description = "the initialisation PIN's custody", allowableValues = { "NONE", "HELD", "REVEALED",
                "LOCKED" }) String pin,
            @Schema(format = "date-time", description = "when the certificate manager retrieved the PIN, or null")
            String pinRevealedAt,
            @Schema(format = "date-time", description = "when the holder reported the token activated, or null")
            String activatedAt,
            @Schema(description = "where and why the station last stopped, or null") String lastError,
            @Schema(format = "date-time") String updatedAt) {
    }

    /** The two last components are absent, not null, when there is nothing to say (as the station has always read). */
    @Schema(name = "TokenProvisioningStarted", description = "The attempt and what the station needs to provision the"
            + " token")
    public record Started(String orderId, int attempt,
            @Schema(allowableValues = { "WAITING", "INITIALISED", "KEY_GENERATED", "CERTIFIED" }) String stage,
            @Schema(description = "true: the same token resumes its attempt at 'stage' (INITIALISED to CERTIFIED)")
            boolean resume,
            @Schema(description = "the label to write on the token") String tokenLabel,
            @Schema(description = "the alias (label) of the order's key pair on the token") String keyAlias,
            @Schema(description = "the key pair to make", allowableValues = { "EC_P256", "EC_P384", "RSA_3072",
                "RSA_4096" }) String keyAlgorithm,
            @Schema(description = "wrong PINs before the token locks for good, where the token lets the station set it")
            int maxUserPinTries,
            @Schema(description = "the length of the initialisation PIN the station draws") int pinDigits,
            @Schema(description = "only when resumed at CERTIFIED: the certificate already issued")
            @JsonInclude(JsonInclude.Include.NON_NULL) String certificateSerial,
            @Schema(description = "only when resumed with the PIN held: its digits encrypted to 'resumeKey'"
                    + " (RSA-OAEP-256), Base64") @JsonInclude(JsonInclude.Include.NON_NULL) String pin) {
    }

    @Schema(name = "TokenCertified", description = "The certificate issued for the token's request, with its chain")
    public record Certified(@Schema(description = "lower-case hex") String certificateSerial,
            @Schema(description = "PEM") String certificate,
            @Schema(description = "the issuing CA then the root, each PEM") List<String> chain) {
    }

    @Schema(name = "TokenProvisioned", description = "The token provisioned: its stage and the shipment prepared for"
            + " it")
    public record Provisioned(@Schema(description = "PROVISIONED") String stage,
            ShipmentView shipment) {
    }

    @Schema(name = "TokenShipment", description = "The registered letter that carries the token")
    public record ShipmentView(String id,
            @Schema(allowableValues = { "PREPARED", "SENT", "DELIVERED", "RETURNED", "LOST" }) String state,
            @Schema(description = "the path of its printable label and cover letter (PDF)")
            String labelUrl) {
    }

    @Schema(name = "TokenPinKey", description = "The key initialisation PINs are encrypted to")
    public record PinKeyView(@Schema(description = "hex of the first 16 bytes of SHA-256 of the SPKI") String keyId,
            @Schema(allowableValues = "RSA-OAEP-256") String algorithm,
            @Schema(description = "RSA-3072, PEM (-----BEGIN PUBLIC KEY-----)") String publicKey) {
    }

    @Schema(name = "TokenQueue", description = "Token orders waiting for an operator (WAITING to CERTIFIED), oldest"
            + " first")
    public record Queue(List<Delivery> items) {
    }

    @Schema(name = "TokenActivated", description = "The order is ACTIVE")
    public record Activated(String orderId, @Schema(allowableValues = "ACTIVE") String state) {
    }
}
