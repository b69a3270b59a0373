/**
 * Tokens: where private keys live and are used without ever leaving — USB tokens (SafeNet eToken), HSMs
 * (PKCS#11), the software token of the embedded default. Hardware vendors implement {@link TokenDriver};
 * everything else in Cachet (the CA, token delivery, signatures) uses tokens only through this package.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cachet.api.token;
