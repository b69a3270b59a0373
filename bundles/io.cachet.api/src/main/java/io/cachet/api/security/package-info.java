/**
 * Security primitives every area shares, so that Cachet has one way to do each: salted secret hashes, and
 * secrets sealed at rest under the master key ({@link io.cachet.api.security.SecretVault}), PIN and password files
 * read as {@code char[]} ({@link io.cachet.api.security.SecretFiles}).
 *
 * <p>1.2.0: {@link io.cachet.api.security.SecretFiles} added (a new class: minor).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.cachet.api.security;
