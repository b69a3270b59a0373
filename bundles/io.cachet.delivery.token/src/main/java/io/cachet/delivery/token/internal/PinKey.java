package io.cachet.delivery.token.internal;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import io.cachet.api.security.SecretVault;
import io.cachet.api.store.Database;
import io.cachet.api.store.StoreException;

/**
 * The deployment's pin-key: an RSA-3072 key pair made once, whose private half (PKCS#8) is kept in
 * {@code token_delivery_key} sealed with the master key (purpose {@value #PURPOSE}); stations encrypt initialisation
 * PINs to its public half. The first node to store its key wins; the others read that one.
 */
final class PinKey {

    static final String PURPOSE = "token-delivery.pin-key";
    private static final String NAME = "pin-key";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String id;

    private PinKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.id = PinCrypto.keyId(publicKey);
    }

    PublicKey publicKey() {
        return publicKey;
    }

    String id() {
        return id;
    }

    byte[] decrypt(String base64) throws GeneralSecurityException {
        return PinCrypto.decrypt(privateKey, base64);
    }

    /**
     * @throws IllegalStateException when the stored key does not open with this master key (a clear message for the
     *         operator), or none could be read or stored
     */
    static PinKey load(Database database, SecretVault vault, SecureRandom random) {
        for (int attempt = 0; attempt < 2; attempt++) {
            Optional<String> sealed = database.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT sealed FROM token_delivery_key WHERE name = ?")) {
                    ps.setString(1, NAME);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                    }
                }
            });
            if (sealed.isPresent()) {
                byte[] pkcs8 = null;
                try {
                    pkcs8 = vault.open(PURPOSE, Base64.getDecoder().decode(sealed.get()));
                    return of(KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
                } catch (GeneralSecurityException | IllegalArgumentException e) {
                    throw new IllegalStateException("The token delivery's pin-key (table token_delivery_key) does not"
                            + " open with this master key: " + e.getMessage(), e);
                } finally {
                    if (pkcs8 != null) {
                        Arrays.fill(pkcs8, (byte) 0);
                    }
                }
            }
            KeyPair pair;
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(new RSAKeyGenParameterSpec(3072, RSAKeyGenParameterSpec.F4), random);
                pair = g.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("RSA-3072 key generation is part of every Java runtime", e);
            }
            byte[] pkcs8 = pair.getPrivate().getEncoded();
            try {
                String value = Base64.getEncoder().encodeToString(vault.seal(PURPOSE, pkcs8));
                database.inTransaction(c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO token_delivery_key (name, sealed) VALUES (?, ?)")) {
                        ps.setString(1, NAME);
                        ps.setString(2, value);
                        return ps.executeUpdate();
                    }
                });
                return new PinKey(pair.getPrivate(), pair.getPublic());
            } catch (StoreException e) {
                // another node stored its key first: read that one
            } finally {
                Arrays.fill(pkcs8, (byte) 0);
            }
        }
        throw new IllegalStateException("The token delivery's pin-key could neither be read nor stored");
    }

    private static PinKey of(PrivateKey key) throws GeneralSecurityException {
        if (!(key instanceof RSAPrivateCrtKey crt)) {
            throw new GeneralSecurityException("the stored pin-key is not an RSA CRT key");
        }
        PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(crt.getModulus(),
                crt.getPublicExponent()));
        return new PinKey(key, pub);
    }
}
