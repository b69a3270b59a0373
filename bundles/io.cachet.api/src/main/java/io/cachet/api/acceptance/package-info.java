/**
 * Acceptance: both persons of an order (the Certificate Manager and the Legal Representative, once when they are
 * the same person) accept the subscriber agreement online with an SMS one-time code; the platform seals the
 * acceptance form (PAdES-B-LT, one incremental signature per person). Read by the evidence file and operators.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.cachet.api.acceptance;
