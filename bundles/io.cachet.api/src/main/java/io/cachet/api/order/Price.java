package io.cachet.api.order;

import java.math.BigDecimal;

/**
 * What a customer pays for a product with this validity and medium, as shown to them.
 *
 * @param amount excluding VAT
 * @param currency ISO 4217 code, e.g. {@code EUR}
 */
public record Price(int validityYears, Medium medium, BigDecimal amount, String currency) {
}
