/**
 * Brands: the name, colours, contact, logo, messages and page templates a customer sees. Resellers ship their own brand bundle; the
 * deployment chooses which brand to show by configuration, while running.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.cachet.api.brand;
