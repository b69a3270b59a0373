/**
 * Tokens: where private keys live and are used without ever leaving — USB tokens (SafeNet eToken), HSMs
 * (PKCS#11), the software token of the embedded default. Hardware vendors implement {@link TokenDriver};
 * everything else in Cachet (the CA, token delivery, signatures) uses tokens only through this package.
 *
 * <p>1.1.0: {@link io.cachet.api.token.Token} is a {@code @ConsumerType}, as {@link io.cachet.api.token.TokenDriver}
 * already was: vendors implement both (a driver's {@code login} returns its own token). Nothing that compiled
 * against 1.0.0 breaks (no signature changed), so not a major version; but the promise of the package changed for
 * its implementers (a method added to {@code Token} is now a major change, and a driver built against this version
 * imports {@code [1.1,2)} instead of {@code [1.1,1.2)}), which is more than a fix, so not a micro version. Added in
 * the same version: {@link io.cachet.api.token.SignatureAlgorithm#hashOid()}.
 * <p>1.2.0: {@link io.cachet.api.token.TokenCustody} added (a new class: minor), the one way to keep a token's PINs in
 * files, safe against a crash while the token is made; the CA's tokens and the cloud key token had each their own.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.cachet.api.token;
