/**
 * Electronic signatures and seals: PAdES, XAdES and CAdES at the baseline levels B, T, LT and LTA, made with a key
 * on any Cachet {@link io.cachet.api.token.Token} (software token, PKCS#11 token or HSM, PKCS#12 file), and their
 * validation against given trust anchors or trusted lists.
 *
 * <p>Contracts only: inside OSGi the {@link Signer} and the {@link Validator} are services of the signature
 * implementation bundle ({@code io.cachet.signature}); plain Java code (the command line, benchmarks, tests) gets
 * them from that bundle's own exported launcher package, {@code io.cachet.signature.launch}. Nothing here depends
 * on the implementation, so a consumer wires to this small API bundle, never to the 15 MB implementation. Every
 * refusal and failure is a {@link SignatureException} with a one-line message meant for the person who gave the
 * input; the output file is only written when signing succeeded.
 *
 * <p>1.0.0: these types were {@code io.cachet.api.signature} 2.0.0, exported by the implementation bundle; they move
 * here unchanged but for the plain-Java factory ({@code Signatures}), which left the contract for
 * {@code io.cachet.signature.launch}. A new package name, so a new version line. What 2.0.0 of the old package
 * brought still holds: {@link Verdict#MODIFIED_AFTER_SIGNING} exists, and a consumer must never decide "valid" by
 * exclusion of the other verdicts.
 *
 * <p>1.1.0: {@link Signer#extend} augments a signed PDF to LT or LTA without signing again;
 * {@link VisibleSignature#withText} puts lines of one's own in the visible box.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.cachet.api.signature;
