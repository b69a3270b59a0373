package io.cachet.delivery.cloud.internal.factor;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.AttestedCredentialDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;

/**
 * WebAuthn (FIDO2) for the customer space's second factor, verified with webauthn4j: the options the browser's
 * {@code navigator.credentials.create/get} take (JSON, binary fields Base64url, as {@code webauthn.js} reads them),
 * and the server-side verification of a registration and of an assertion: challenge, origin, relying party id
 * (the public address's host), user presence, signature over the stored public key, and the signature counter
 * (a counter that does not grow is refused: a cloned authenticator). User verification is preferred, not required:
 * the password is the first factor. Attestation is not asked ({@code none}): any FIDO2 authenticator may be
 * enrolled. Thread-safe.
 */
public final class Passkeys {

    /** COSE algorithms offered: ES256, then RS256 (Windows Hello). */
    private static final int[] ALGORITHMS = { -7, -257 };
    private static final long TIMEOUT_MS = 120_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64U = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64U_DECODER = Base64.getUrlDecoder();

    /**
     * webauthn4j's verifier, made at the first registration or assertion rather than when the customer space starts:
     * its CBOR and JSON mappers load ~250 classes, which every start of the server paid for.
     */
    private static final class Webauthn {
        static final ObjectConverter CONVERTER = new ObjectConverter();
        static final WebAuthnManager MANAGER = WebAuthnManager.createNonStrictWebAuthnManager(CONVERTER);
        static final AttestedCredentialDataConverter CREDENTIALS = new AttestedCredentialDataConverter(CONVERTER);
    }

    /**
     * A verified registration.
     *
     * @param credentialId the credential's id, Base64url
     * @param publicKey the attested credential data (AAGUID, id, COSE public key) as the authenticator gave it,
     *        Base64url: what an assertion is verified with
     * @param signCount the authenticator's counter at registration
     */
    public record Registered(String credentialId, String publicKey, long signCount) {
    }

    /** {@code PublicKeyCredentialRequestOptions} for the given credentials. */
    public String requestOptions(String challenge, String rpId, List<String> credentialIds) {
        ObjectNode o = JSON.createObjectNode();
        o.put("challenge", challenge);
        o.put("rpId", rpId);
        o.put("timeout", TIMEOUT_MS);
        o.put("userVerification", "preferred");
        ArrayNode allow = o.putArray("allowCredentials");
        for (String id : credentialIds) {
            allow.addObject().put("type", "public-key").put("id", id);
        }
        return write(o);
    }

    /** {@code PublicKeyCredentialCreationOptions} for a new authenticator of the user. */
    public String creationOptions(String challenge, String rpId, String rpName, String userId, String userName,
            String displayName, List<String> exclude) {
        ObjectNode o = JSON.createObjectNode();
        o.put("challenge", challenge);
        o.putObject("rp").put("id", rpId).put("name", rpName);
        o.putObject("user").put("id", B64U.encodeToString(userId.getBytes(StandardCharsets.UTF_8)))
                .put("name", userName).put("displayName", displayName == null ? userName : displayName);
        ArrayNode params = o.putArray("pubKeyCredParams");
        for (int alg : ALGORITHMS) {
            params.addObject().put("type", "public-key").put("alg", alg);
        }
        o.put("timeout", TIMEOUT_MS);
        o.put("attestation", "none");
        o.putObject("authenticatorSelection").put("userVerification", "preferred").put("residentKey", "discouraged")
                .put("requireResidentKey", false);
        ArrayNode ex = o.putArray("excludeCredentials");
        for (String id : exclude) {
            ex.addObject().put("type", "public-key").put("id", id);
        }
        return write(o);
    }

    /**
     * Verifies {@code navigator.credentials.create}'s answer (the {@code PublicKeyCredential} JSON).
     *
     * @throws IllegalArgumentException when it does not verify (the message says why, in English)
     */
    public Registered register(String credentialJson, String challenge, List<String> origins, String rpId) {
        try {
            RegistrationData data = Webauthn.MANAGER.parseRegistrationResponseJSON(credentialJson);
            Webauthn.MANAGER.verify(data, new RegistrationParameters(server(challenge, origins, rpId), List.of(
                    new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.ES256),
                    new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.RS256)),
                    false, true));
            AttestedCredentialData acd = data.getAttestationObject().getAuthenticatorData()
                    .getAttestedCredentialData();
            return new Registered(B64U.encodeToString(acd.getCredentialId()), B64U.encodeToString(Webauthn.CREDENTIALS
                    .convert(acd)), data.getAttestationObject().getAuthenticatorData().getSignCount());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("The authenticator's registration does not verify: " + e.getClass()
                    .getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        }
    }

    /** The credential id (Base64url) an assertion's JSON names; empty when it names none. */
    public String credentialId(String assertionJson) {
        try {
            JsonNode n = JSON.readTree(assertionJson == null ? "" : assertionJson);
            JsonNode id = n == null ? null : n.has("rawId") ? n.get("rawId") : n.get("id");
            return id == null || !id.isTextual() ? "" : B64U.encodeToString(B64U_DECODER.decode(id.asText()));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return "";
        }
    }

    /**
     * Verifies {@code navigator.credentials.get}'s answer against the stored credential.
     *
     * @return the authenticator's new counter, to store
     * @throws IllegalArgumentException when it does not verify (wrong challenge, origin, signature, a counter that
     *         did not grow, …)
     */
    public long verify(String assertionJson, String challenge, List<String> origins, String rpId, String credentialId,
            String publicKey, long signCount) {
        try {
            AttestedCredentialData acd = Webauthn.CREDENTIALS.convert(B64U_DECODER.decode(publicKey));
            CredentialRecordImpl record = new CredentialRecordImpl(new NoneAttestationStatement(), null, null, null,
                    signCount, acd, null, null, null, null);
            AuthenticationData data = Webauthn.MANAGER.parseAuthenticationResponseJSON(assertionJson);
            Webauthn.MANAGER.verify(data, new AuthenticationParameters(server(challenge, origins, rpId), record,
                    List.of(B64U_DECODER.decode(credentialId)), false, true));
            return data.getAuthenticatorData().getSignCount();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("The authenticator's answer does not verify: " + e.getClass()
                    .getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        }
    }

    private static ServerProperty server(String challenge, List<String> origins, String rpId) {
        Set<Origin> set = new LinkedHashSet<>();
        for (String o : origins) {
            set.add(new Origin(o));
        }
        return new ServerProperty(set, rpId, new DefaultChallenge(challenge), null);
    }

    private static String write(ObjectNode o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("options cannot be written", e);
        }
    }

    /** For tests and callers that build JSON by hand. */
    static Map<String, Object> read(String json) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = JSON.readValue(json, Map.class);
            return m;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
