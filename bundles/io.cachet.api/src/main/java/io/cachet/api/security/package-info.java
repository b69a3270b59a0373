/**
 * Security primitives every area shares, so that Cachet has one way to do each: salted secret hashes, and
 * secrets sealed at rest under the master key ({@link io.cachet.api.security.SecretVault}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.cachet.api.security;
