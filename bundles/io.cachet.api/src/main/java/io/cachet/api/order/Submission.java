package io.cachet.api.order;

/**
 * Who submits an order and how.
 *
 * @param actor the audit actor ({@code customer} for the public order page, {@code api:<login>} for the API)
 * @param reseller the reseller it is submitted for, or null for a direct customer
 * @param brand the brand of its pages and e-mails, or null for the reseller's (else the active) brand
 * @param language {@code fr} or {@code en}
 * @param idempotencyKey the client's {@code Idempotency-Key}, or null; the same key with the same reseller and
 *        the same body gives back the first order, with another body a conflict
 */
public record Submission(String actor, String reseller, String brand, String language, String idempotencyKey) {
}
