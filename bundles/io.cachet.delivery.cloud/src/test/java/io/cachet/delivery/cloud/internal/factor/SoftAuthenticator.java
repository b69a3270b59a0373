package io.cachet.delivery.cloud.internal.factor;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.webauthn4j.converter.AttestationObjectConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.AttestationObject;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;

/**
 * A FIDO2 authenticator in software for the tests, as a browser would answer {@code navigator.credentials.create/get}
 * (the JSON {@code webauthn.js} posts): an EC P-256 key made with the JDK, the attestation object ("none") encoded with
 * webauthn4j's CBOR, the assertion signed with SHA256withECDSA over authenticatorData ‖ SHA-256(clientDataJSON) as the
 * WebAuthn specification says. Its counter can be set back to play a cloned authenticator.
 */
public final class SoftAuthenticator {

    private static final Base64.Encoder B64U = Base64.getUrlEncoder().withoutPadding();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeyPair key;
    private final byte[] credentialId = new byte[32];
    public long counter;

    public SoftAuthenticator() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            key = g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        new SecureRandom().nextBytes(credentialId);
    }

    public String credentialId() {
        return B64U.encodeToString(credentialId);
    }

    /** The answer to creation options, from {@code origin}. */
    public String create(String optionsJson, String origin) throws Exception {
        JsonNode o = JSON.readTree(optionsJson);
        String rpId = o.get("rp").get("id").asText();
        byte[] clientData = clientData("webauthn.create", o.get("challenge").asText(), origin);
        AttestedCredentialData acd = new AttestedCredentialData(AAGUID.ZERO, credentialId, EC2COSEKey.create(
                (ECPublicKey) key.getPublic(), COSEAlgorithmIdentifier.ES256));
        AuthenticatorData<com.webauthn4j.data.extension.authenticator.RegistrationExtensionAuthenticatorOutput> ad =
                new AuthenticatorData<>(sha256(rpId.getBytes(StandardCharsets.UTF_8)), (byte) 0x41, counter, acd);
        byte[] attestation = new AttestationObjectConverter(new ObjectConverter()).convertToBytes(
                new AttestationObject(ad, new NoneAttestationStatement()));
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("clientDataJSON", B64U.encodeToString(clientData));
        response.put("attestationObject", B64U.encodeToString(attestation));
        response.put("transports", List.of("usb"));
        return credential(response);
    }

    /** The answer to request options, from {@code origin}; the counter grows by one. */
    public String get(String optionsJson, String origin) throws Exception {
        JsonNode o = JSON.readTree(optionsJson);
        return assertion(o.get("challenge").asText(), o.get("rpId").asText(), origin, ++counter);
    }

    /** An assertion of any challenge, relying party, origin and counter. */
    public String assertion(String challenge, String rpId, String origin, long count) throws Exception {
        byte[] clientData = clientData("webauthn.get", challenge, origin);
        byte[] authData = ByteBuffer.allocate(37).put(sha256(rpId.getBytes(StandardCharsets.UTF_8))).put((byte) 0x05)
                .putInt((int) count).array();
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key.getPrivate());
        s.update(authData);
        s.update(sha256(clientData));
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("clientDataJSON", B64U.encodeToString(clientData));
        response.put("authenticatorData", B64U.encodeToString(authData));
        response.put("signature", B64U.encodeToString(s.sign()));
        response.put("userHandle", null);
        return credential(response);
    }

    private String credential(Map<String, Object> response) throws Exception {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", credentialId());
        c.put("rawId", credentialId());
        c.put("type", "public-key");
        c.put("response", response);
        c.put("clientExtensionResults", Map.of());
        return JSON.writeValueAsString(c);
    }

    private static byte[] clientData(String type, String challenge, String origin) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("challenge", challenge);
        m.put("origin", origin);
        m.put("crossOrigin", false);
        return JSON.writeValueAsBytes(m);
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }
}
