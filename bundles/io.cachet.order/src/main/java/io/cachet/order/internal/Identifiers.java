package io.cachet.order.internal;

import java.util.Map;
import java.util.regex.Pattern;

import io.cachet.api.organisation.RegistrationNumbers;

/**
 * Checks of registration and VAT numbers, plain Java.
 *
 * <p>SIREN (9 digits) and SIRET (14 digits, the SIREN followed by a 5-digit establishment number) carry a Luhn
 * check digit (INSEE). La Poste's establishments are too many for the Luhn scheme: a SIRET of SIREN
 * {@value #LA_POSTE} is valid when the sum of its digits is a multiple of 5 (or, as its head office's
 * {@code 35600000000048}, when it passes the Luhn check).
 *
 * <p>French VAT numbers: {@code FR} + a two-digit key + the SIREN, key = (12 + 3 × (SIREN mod 97)) mod 97. (The
 * older keys with letters, given to some bodies without a SIREN, are not accepted: an order names a SIREN.) Other
 * EU countries: the formats of the European Commission's VIES help page "VIES VAT number validation — format of
 * the VAT numbers" (ec.europa.eu/taxation_customs/vies, FAQ), syntax only, no check digits.
 */
final class Identifiers {

    static final String LA_POSTE = RegistrationNumbers.LA_POSTE;

    /** EU VAT number formats after the country prefix (VIES FAQ table); Greece's prefix is EL. */
    static final Map<String, Pattern> EU_VAT = Map.ofEntries(
            Map.entry("AT", Pattern.compile("U\\d{8}")),
            Map.entry("BE", Pattern.compile("[01]\\d{9}")),
            Map.entry("BG", Pattern.compile("\\d{9,10}")),
            Map.entry("CY", Pattern.compile("\\d{8}[A-Z]")),
            Map.entry("CZ", Pattern.compile("\\d{8,10}")),
            Map.entry("DE", Pattern.compile("\\d{9}")),
            Map.entry("DK", Pattern.compile("\\d{8}")),
            Map.entry("EE", Pattern.compile("\\d{9}")),
            Map.entry("EL", Pattern.compile("\\d{9}")),
            Map.entry("ES", Pattern.compile("[A-Z0-9]\\d{7}[A-Z0-9]")),
            Map.entry("FI", Pattern.compile("\\d{8}")),
            Map.entry("FR", Pattern.compile("[A-HJ-NP-Z0-9]{2}\\d{9}")),
            Map.entry("HR", Pattern.compile("\\d{11}")),
            Map.entry("HU", Pattern.compile("\\d{8}")),
            Map.entry("IE", Pattern.compile("\\d[A-Z0-9+*]\\d{5}[A-Z]{1,2}")),
            Map.entry("IT", Pattern.compile("\\d{11}")),
            Map.entry("LT", Pattern.compile("\\d{9}|\\d{12}")),
            Map.entry("LU", Pattern.compile("\\d{8}")),
            Map.entry("LV", Pattern.compile("\\d{11}")),
            Map.entry("MT", Pattern.compile("\\d{8}")),
            Map.entry("NL", Pattern.compile("\\d{9}B\\d{2}")),
            Map.entry("PL", Pattern.compile("\\d{10}")),
            Map.entry("PT", Pattern.compile("\\d{9}")),
            Map.entry("RO", Pattern.compile("[1-9]\\d{1,9}")),
            Map.entry("SE", Pattern.compile("\\d{10}01")),
            Map.entry("SI", Pattern.compile("\\d{8}")),
            Map.entry("SK", Pattern.compile("\\d{10}")));

    private Identifiers() {
    }

    // the French rules are shared with the organisation check: one implementation (io.cachet.api.organisation)

    static boolean luhn(String digits) {
        return RegistrationNumbers.luhn(digits);
    }

    static boolean digits(String s, int length) {
        return RegistrationNumbers.digits(s, length);
    }

    static boolean siren(String s) {
        return RegistrationNumbers.siren(s);
    }

    static boolean siret(String s) {
        return RegistrationNumbers.siret(s);
    }

    /** The French VAT key of a SIREN. */
    static int frenchVatKey(String siren) {
        return RegistrationNumbers.frenchVatKey(siren);
    }

    /** The VAT prefix of an organisation of {@code country} (ISO 3166), or null outside the EU. */
    static String vatPrefix(String country) {
        String prefix = "GR".equals(country) ? "EL" : country;
        return EU_VAT.containsKey(prefix) ? prefix : null;
    }
}
