/**
 * Verification of the organisation an order names: the customer's official documents (the national register's
 * extract, e.g. a French K-bis, and a mandate when the legal representative is not named in it), the automatic
 * checks run on them (identifier well formed, extract less than three months old, name and identifier matching the
 * order), and the operator's decision, which passes or fails the order's {@code organisation} check at
 * {@code VERIFICATION}.
 *
 * <p>{@link io.cachet.api.organisation.OrganisationChecks} is the service (provided by {@code io.cachet.organisation});
 * {@link io.cachet.api.organisation.RegistryLookup} is the SPI a deployment implements to plug in an online
 * company-register look-up (without one, operators check the register themselves).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cachet.api.organisation;
