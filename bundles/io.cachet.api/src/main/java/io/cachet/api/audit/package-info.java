/**
 * Audit: the append-only, hash-chained log of every state change, its verifier, and the anchoring of the
 * chain head by an independent signer (so that deleting the newest records is detectable too).
 *
 * <p>1.2: {@code AuditLog.about}, the records about given subjects. 1.4: {@code AuditEvent.ofFields}, details as a
 * JSON object.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.4.0")
package io.cachet.api.audit;
