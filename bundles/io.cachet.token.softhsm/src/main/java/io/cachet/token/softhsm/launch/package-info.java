/**
 * Plain-Java entry point of the SoftHSM2 driver, for code that runs without an OSGi framework (benchmarks, tests):
 * {@link io.cachet.token.softhsm.launch.SoftHsmDrivers#open} opens the generic PKCS#11 driver with the SoftHSM2
 * profile. Inside OSGi, configure the driver component instead.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cachet.token.softhsm.launch;
