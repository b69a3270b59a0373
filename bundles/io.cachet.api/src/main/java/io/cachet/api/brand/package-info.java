/**
 * Brands: the name, colours and contact a customer sees. Resellers ship their own brand bundle; the
 * deployment chooses which brand to show by configuration, while running.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cachet.api.brand;
