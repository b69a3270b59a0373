/**
 * Plain-Java entry point of the personal links, for code that runs without an OSGi framework: the tests of modules
 * that send links (identity, acceptance…) use the real link store on a real database. Inside OSGi, use the
 * {@code PersonalLinks} service instead.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cachet.portal.launch;
