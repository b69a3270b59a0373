/** Security primitives every area shares, so that Cachet has one way to do each: salted secret hashes. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.cachet.api.security;
