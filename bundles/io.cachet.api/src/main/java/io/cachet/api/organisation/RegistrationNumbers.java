package io.cachet.api.organisation;

/**
 * The one implementation of the French registration and VAT number rules, shared by the order's validation and the
 * organisation check (plain Java, stateless).
 *
 * <p>SIREN (9 digits) and SIRET (14 digits, the SIREN followed by a 5-digit establishment number) carry a Luhn
 * check digit (INSEE). La Poste's establishments are too many for the Luhn scheme: a SIRET of SIREN
 * {@value #LA_POSTE} is valid when the sum of its digits is a multiple of 5 (or, as its head office's
 * {@code 35600000000048}, when it passes the Luhn check). French VAT numbers: {@code FR} + a two-digit key + the
 * SIREN, key = (12 + 3 × (SIREN mod 97)) mod 97.
 */
public final class RegistrationNumbers {

    /** La Poste's SIREN, whose SIRETs follow their own rule. */
    public static final String LA_POSTE = "356000000";

    private RegistrationNumbers() {
    }

    /** @return whether {@code digits} (digits only) passes the Luhn check */
    public static boolean luhn(String digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    /** @return whether {@code s} is exactly {@code length} ASCII digits */
    public static boolean digits(String s, int length) {
        return s != null && s.length() == length && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** @return whether {@code s} is a well-formed SIREN (9 digits, Luhn) */
    public static boolean siren(String s) {
        return digits(s, 9) && luhn(s);
    }

    /** @return whether {@code s} is a well-formed SIRET (14 digits, Luhn over its SIREN and over all, La Poste's rule) */
    public static boolean siret(String s) {
        if (!digits(s, 14)) {
            return false;
        }
        if (s.startsWith(LA_POSTE)) {
            return luhn(s) || s.chars().map(c -> c - '0').sum() % 5 == 0;
        }
        return luhn(s) && luhn(s.substring(0, 9));
    }

    /** The French VAT key of a SIREN (9 digits). */
    public static int frenchVatKey(String siren) {
        return (int) ((12 + 3 * (Long.parseLong(siren) % 97)) % 97);
    }

    /** @return whether {@code vat} is {@code FR} + the right key + {@code siren} */
    public static boolean frenchVat(String vat, String siren) {
        return vat != null && siren(siren) && vat.equals("FR" + String.format("%02d", frenchVatKey(siren)) + siren);
    }
}
