package io.cachet.api.order;

/**
 * The organisation the seal certificate is issued to.
 *
 * @param name legal name
 * @param country ISO 3166-1 alpha-2 code of the country of registration
 * @param identifier national registration number (France: SIREN, 9 digits, or SIRET, 14 digits), digits only
 * @param vat VAT number, upper case without spaces (e.g. {@code FR96552100554}), or null when it has none
 * @param address registered address
 */
public record Organisation(String name, String country, String identifier, String vat, PostalAddress address) {
}
