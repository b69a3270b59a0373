/**
 * Remote identity proofing of the persons an order names: identity cases, the evidence they collect, the
 * operator's decision, and the {@link io.cachet.api.identity.IdentityProvider} SPI through which a proofing method
 * (Cachet's own phone flow, an external vendor) is plugged in and swapped while running.
 *
 * <p>The case record follows ETSI TS 119 461's structure: the evidence collected, the validations and
 * verifications done ({@link io.cachet.api.identity.CheckResult}), who decided, and the proofing level.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cachet.api.identity;
