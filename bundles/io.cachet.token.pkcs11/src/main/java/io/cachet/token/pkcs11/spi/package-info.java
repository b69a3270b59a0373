/**
 * What a vendor profile needs to build a token driver on Cachet's generic PKCS#11 driver: describe the vendor's
 * specifics in a {@link io.cachet.token.pkcs11.spi.Pkcs11Profile} and open a driver with
 * {@link io.cachet.token.pkcs11.spi.Pkcs11Drivers#open(Pkcs11DriverConfig)}.
 *
 * <p>No type of the PKCS#11 wrapper appears here: profiles see slots, sessions and raw attribute bytes, so the
 * wrapper can be replaced without breaking them.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.cachet.token.pkcs11.spi;
