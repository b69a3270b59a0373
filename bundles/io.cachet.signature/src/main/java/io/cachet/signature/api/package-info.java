/**
 * Electronic signatures and seals: PAdES, XAdES and CAdES at the baseline levels B, T, LT and LTA, made with a key
 * on any Cachet {@link io.cachet.api.token.Token} (software token, PKCS#11 token or HSM, PKCS#12 file), and their
 * validation against given trust anchors.
 *
 * <p>{@link io.cachet.signature.api.Signatures} gives the plain-Java entry points (a {@link Signer}, a
 * {@link Validator}, keys from PKCS#12 files, trust anchors from PEM files). Every refusal and failure is a
 * {@link io.cachet.signature.api.SignatureException} with a one-line message meant for the person who gave the
 * input; the output file is only written when signing succeeded.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cachet.signature.api;
