package io.cachet.api.order;

/**
 * An order as submitted, after validation (see {@link Orders#validate}).
 *
 * @param product catalogue id of the product, e.g. {@code enterprise-plus}
 * @param validityYears validity of the certificate, one the catalogue offers for the product (1, 2 or 3)
 * @param certificateManager the person who orders and will use the seal
 * @param legalRepresentative the organisation's legal representative, or null when the certificate manager is
 *        ({@code "sameAsCertificateManager": true}: then one identification)
 * @param delivery where the token goes; required for token media, null for {@code cloud}
 */
public record OrderRequest(String product, int validityYears, Medium medium, Person certificateManager,
        Person legalRepresentative, Organisation organisation, Delivery delivery) {

    /** @return whether one person is both certificate manager and legal representative */
    public boolean managerIsLegalRepresentative() {
        return legalRepresentative == null;
    }

    /** @return the legal representative: the certificate manager when they are the same person */
    public Person effectiveLegalRepresentative() {
        return legalRepresentative == null ? certificateManager : legalRepresentative;
    }
}
