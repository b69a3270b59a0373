package io.cachet.ca.internal;

import java.util.regex.Pattern;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/** Subject names per ETSI EN 319 412-1/-3 and their validation. */
final class Names {
    /** ETSI EN 319 412-1 §5.1.4: 3-letter type, 2-letter country, hyphen, identifier. */
    private static final Pattern ORG_ID = Pattern.compile("[A-Z]{3}[A-Z]{2}-.+");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    private Names() {
    }

    static void requireOrganizationIdentifier(String value) {
        if (value == null || !ORG_ID.matcher(value).matches()) {
            throw new CaException("organizationIdentifier must look like NTRFR-<id> ([A-Z]{3}[A-Z]{2}-...), got '"
                    + value + "'");
        }
    }

    static void requireCountry(String value) {
        if (value == null || !COUNTRY.matcher(value).matches()) {
            throw new CaException("countryName must be two upper-case letters, got '" + value + "'");
        }
    }

    static void requireText(String value, String what) {
        if (value == null || value.isBlank() || value.length() > 64) {
            throw new CaException(what + " must be 1 to 64 characters");
        }
    }

    static X500Name organisation(String commonName, String organization, String organizationIdentifier,
            String country) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, country).addRDN(BCStyle.O, organization)
                .addRDN(BCStyle.ORGANIZATION_IDENTIFIER, organizationIdentifier).addRDN(BCStyle.CN, commonName)
                .build();
    }
}
