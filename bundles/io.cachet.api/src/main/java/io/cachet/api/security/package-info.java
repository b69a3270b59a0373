/**
 * Security primitives every area shares, so that Cachet has one way to do each: salted secret hashes, secrets sealed
 * at rest under the master key ({@link io.cachet.api.security.SecretVault}), PIN and password files read as
 * {@code char[]} ({@link io.cachet.api.security.SecretFiles}), large personal data at rest under a sealed data key per
 * owner ({@link io.cachet.api.security.DataKeyCipher}), SHA-256 ({@link io.cachet.api.security.Digests}) and
 * unguessable tokens ({@link io.cachet.api.security.RandomTokens}).
 *
 * <p>1.2.0: {@link io.cachet.api.security.SecretFiles} added (a new class: minor).
 * <p>1.3.0: {@link io.cachet.api.security.DataKeyCipher} added (a new class: minor), the one implementation of the
 * format the identity, organisation, evidence and mail-delivery bundles had each kept a private copy of.
 * <p>1.4.0: {@link io.cachet.api.security.SecretHash#verifyUnknown} makes its comparison hash at the first unknown
 * login, not when a class loads.
 * <p>1.5.0: {@link io.cachet.api.security.Digests} (SHA-256) and {@link io.cachet.api.security.RandomTokens} added (new
 * classes: minor), replacing the private SHA-256 and random-token helpers of sixteen modules.
 * <p>1.6.0: {@link io.cachet.api.security.SecretFiles#writeNew} and {@link io.cachet.api.security.SecretFiles#rename}
 * (methods added: minor): a secret file written owner-only and forced to the disk, and renamed so that the new name
 * survives a crash ({@link io.cachet.api.token.TokenCustody} keeps a token's PINs with them).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.6.0")
package io.cachet.api.security;
