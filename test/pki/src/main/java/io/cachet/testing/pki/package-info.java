/**
 * The tests' certificates. {@link io.cachet.testing.pki.TestPki} builds a certificate hierarchy from a short
 * description (properties: each entity's subject, key, issuer, validity and extensions; see
 * {@code seal-hierarchy.properties} next to the classes), with BouncyCastle, fresh keys each time: a test names
 * the PKI it needs instead of building certificates itself. {@link io.cachet.testing.pki.Pkcs12Files} is the one
 * PKCS#12 writer of the tests, {@link io.cachet.testing.pki.TokenCertificates} the one certificate for a key pair
 * that lives on a token (signed by the token itself).
 *
 * <p>Certificates a live CA must issue (with OCSP, CRL and time-stamps answering for them) come from Cachet's own CA
 * instead ({@code io.cachet.ca.launch}, as the signature tests' {@code TestPki} does): this package describes static
 * hierarchies.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cachet.testing.pki;
