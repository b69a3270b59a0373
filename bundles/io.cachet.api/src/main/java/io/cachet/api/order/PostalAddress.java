package io.cachet.api.order;

import java.util.List;

/**
 * A postal address.
 *
 * @param lines street lines, 1 to 3, not blank
 * @param country ISO 3166-1 alpha-2 code, upper case
 */
public record PostalAddress(List<String> lines, String postalCode, String city, String country) {
    public PostalAddress {
        lines = lines == null ? List.of() : List.copyOf(lines);
    }
}
