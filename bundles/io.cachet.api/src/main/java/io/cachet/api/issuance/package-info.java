/**
 * Issuance of an order's seal certificate and the order's sealed evidence file.
 *
 * <p>When both persons have accepted, an order enters {@code ISSUANCE}: the issuance module freezes the
 * certificate's subject, and for cloud orders makes the key pair on the platform's token and has the CA issue the
 * certificate at once; token orders wait there until the token's certificate request arrives
 * ({@link io.cachet.api.issuance.OrderCertificates#issue}). Issuance is idempotent per order: the order's id is
 * the CA's request id, so a retried step never issues twice.
 *
 * <p>{@link io.cachet.api.issuance.EvidenceFiles}: one PDF per order that reached the end of issuance, holding
 * what proves the order was made and checked, sealed by the platform at PAdES-LTA and re-timestamped before its
 * archive timestamp weakens.
 *
 * <p>{@link io.cachet.api.issuance.CloudSigningKeys}: the cloud orders' keys, for the customer space that signs on
 * their holders' behalf.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package io.cachet.api.issuance;
