package io.cachet.api.token;

/** Key pair algorithms Cachet uses (ETSI TS 119 312 approved sizes). */
public enum KeyAlgorithm {
    RSA_2048("RSA", 2048), RSA_3072("RSA", 3072), RSA_4096("RSA", 4096), EC_P256("EC", 256), EC_P384("EC", 384);

    private final String family;
    private final int bits;

    KeyAlgorithm(String family, int bits) {
        this.family = family;
        this.bits = bits;
    }

    /** {@code RSA} or {@code EC}. */
    public String family() {
        return family;
    }

    public int bits() {
        return bits;
    }
}
