package io.cachet.api.signature;

/** Where the signature is relative to the data it signs. */
public enum Packaging {
    /** Inside the signed document: PAdES, or XAdES in the signed XML document. */
    ENVELOPED,
    /** The signature contains the data: XAdES enveloping, CAdES attached (.p7m). */
    ENVELOPING,
    /** The signature is a file of its own next to the data: XAdES detached, CAdES detached (.p7s). */
    DETACHED
}
