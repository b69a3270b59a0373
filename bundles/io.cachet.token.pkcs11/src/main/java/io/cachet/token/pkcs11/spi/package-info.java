/**
 * What a vendor profile needs to build a token driver on Cachet's generic PKCS#11 driver: describe the vendor's
 * specifics in a {@link io.cachet.token.pkcs11.spi.Pkcs11Profile} and open a driver with
 * {@code io.cachet.token.pkcs11.launch.Pkcs11Drivers.open(Pkcs11DriverConfig)}.
 *
 * <p>No type of the PKCS#11 wrapper appears here: profiles see slots, sessions and raw attribute bytes, so the
 * wrapper can be replaced without breaking them.
 *
 * <p>2.0.0: {@code Pkcs11Drivers} left this package for {@code io.cachet.token.pkcs11.launch}: it constructed the
 * implementation, which a contract must not depend on. Removing a class is a major change.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package io.cachet.token.pkcs11.spi;
