package io.cachet.api.signature;

/** The AdES family of a signature. */
public enum SignatureFormat {
    /** PDF signature (ETSI EN 319 142), always inside the PDF ({@link Packaging#ENVELOPED}). */
    PADES,
    /** XML signature (ETSI EN 319 132): enveloped in an XML document, enveloping the data, or detached. */
    XADES,
    /** CMS signature (ETSI EN 319 122): attached ({@link Packaging#ENVELOPING}, the .p7m) or detached (.p7s). */
    CADES
}
