/**
 * Electronic signatures and seals: PAdES, XAdES and CAdES at the baseline levels B, T, LT and LTA, made with a key
 * on any Cachet {@link io.cachet.api.token.Token} (software token, PKCS#11 token or HSM, PKCS#12 file), and their
 * validation against given trust anchors.
 *
 * <p>{@link io.cachet.signature.api.Signatures} gives the plain-Java entry points (a {@link Signer}, a
 * {@link Validator}, keys from PKCS#12 files, trust anchors from PEM files). Every refusal and failure is a
 * {@link io.cachet.signature.api.SignatureException} with a one-line message meant for the person who gave the
 * input; the output file is only written when signing succeeded.
 *
 * <p>2.0.0: {@link Verdict} gained {@link Verdict#MODIFIED_AFTER_SIGNING}. Adding an enum constant compiles for
 * every consumer, but a consumer that decides by exclusion ("not INVALID and not INDETERMINATE, so valid") or
 * switches over the three old values would accept a forged document without noticing: consumers must look again,
 * hence a major version. Added at the same time: {@link SignatureReport#changesAfterSigning()},
 * {@link SignOptions#certify()}, {@link VisibleSignature#fromBottom()}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package io.cachet.signature.api;
