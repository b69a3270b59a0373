/**
 * The qualified CA as a service: issue and revoke qualified e-seal certificates, and the trust services that
 * signature levels T, LT and LTA rely on (CRL, OCSP, RFC 3161 time-stamps).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cachet.api.ca;
