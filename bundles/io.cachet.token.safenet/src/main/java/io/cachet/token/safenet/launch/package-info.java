/**
 * Plain-Java entry point of the SafeNet eToken driver, for code that runs without an OSGi framework (the command
 * line): {@link io.cachet.token.safenet.launch.SafeNetDrivers#open} opens the generic PKCS#11 driver with the SafeNet
 * profile (the vendor's {@code ETC_*} functions when the library exports them). Inside OSGi, configure the driver
 * component instead.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cachet.token.safenet.launch;
