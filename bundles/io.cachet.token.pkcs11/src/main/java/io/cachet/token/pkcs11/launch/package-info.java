/**
 * Plain-Java entry point of the generic PKCS#11 driver: {@link io.cachet.token.pkcs11.launch.Pkcs11Drivers} opens a
 * driver on a module with a vendor profile. The types it takes and returns are the SPI's
 * ({@code io.cachet.token.pkcs11.spi}); this package only constructs the implementation, so the SPI stays free of it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cachet.token.pkcs11.launch;
