package io.cachet.api.token;

/** Signature algorithms a token performs; the hash is computed outside the token. */
public enum SignatureAlgorithm {
    RSA_PKCS1_SHA256("RSA", "SHA-256", "SHA256withRSA"),
    RSA_PKCS1_SHA384("RSA", "SHA-384", "SHA384withRSA"),
    RSA_PKCS1_SHA512("RSA", "SHA-512", "SHA512withRSA"),
    RSA_PSS_SHA256("RSA", "SHA-256", "SHA256withRSA/PSS"),
    RSA_PSS_SHA384("RSA", "SHA-384", "SHA384withRSA/PSS"),
    RSA_PSS_SHA512("RSA", "SHA-512", "SHA512withRSA/PSS"),
    ECDSA_SHA256("EC", "SHA-256", "SHA256withECDSA"),
    ECDSA_SHA384("EC", "SHA-384", "SHA384withECDSA"),
    ECDSA_SHA512("EC", "SHA-512", "SHA512withECDSA");

    private final String keyFamily;
    private final String hash;
    private final String jcaName;

    SignatureAlgorithm(String keyFamily, String hash, String jcaName) {
        this.keyFamily = keyFamily;
        this.hash = hash;
        this.jcaName = jcaName;
    }

    /** {@code RSA} or {@code EC}: the key family this algorithm needs. */
    public String keyFamily() {
        return keyFamily;
    }

    /** JCA name of the hash, e.g. {@code SHA-256}. */
    public String hash() {
        return hash;
    }

    /**
     * The object identifier of the hash ({@code 2.16.840.1.101.3.4.2.1} for SHA-256), as the DigestInfo of a PKCS#1
     * v1.5 signature names it (RFC 8017, section 9.2): what a driver needs to build that DigestInfo, with an ASN.1
     * library (Cachet's drivers use BouncyCastle's {@code DigestInfo}).
     *
     * @since 1.1
     */
    public String hashOid() {
        return switch (hash) {
            case "SHA-256" -> "2.16.840.1.101.3.4.2.1";
            case "SHA-384" -> "2.16.840.1.101.3.4.2.2";
            default -> "2.16.840.1.101.3.4.2.3";
        };
    }

    /**
     * JCA (BouncyCastle) name of the whole algorithm, e.g. {@code SHA256withECDSA}, for verifying with a public
     * key. PSS uses MGF1 with the same hash and a salt as long as the hash.
     */
    public String jcaName() {
        return jcaName;
    }

    public boolean pss() {
        return jcaName.endsWith("/PSS");
    }
}
