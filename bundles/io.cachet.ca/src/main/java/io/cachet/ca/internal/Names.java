package io.cachet.ca.internal;

import java.util.regex.Pattern;

import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Subject names per ETSI EN 319 412-1/-3 and their validation. Values are plain text, checked here and written as
 * DirectoryString values (UTF8String; PrintableString for the country) with {@link X500NameBuilder}'s
 * {@code ASN1Encodable} form: never through a string parser, which would read a value starting with {@code #} as
 * hex DER (any ASN.1 type) and unescape backslashes.
 */
final class Names {
    /** X.520 upper bounds: ub-common-name and ub-organization-name are 64; EN 319 412-1 keeps the identifier short. */
    static final int MAX_LENGTH = 64;
    /**
     * ETSI EN 319 412-1 §5.1.4: a 3-letter type (VAT, NTR, PSD, LEI) or two characters of a national scheme and a
     * colon; the ISO 3166 country; a hyphen; the identifier (printable ASCII, no space).
     */
    private static final Pattern ORG_ID = Pattern.compile("(?:VAT|NTR|PSD|LEI|[A-Za-z0-9]{2}:)[A-Z]{2}-[!-~]+");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    private Names() {
    }

    /** An organizationIdentifier per EN 319 412-1 §5.1.4, at most 64 characters; {@code field} names it in errors. */
    static void requireOrganizationIdentifier(String value, String field) {
        requireText(value, field);
        if (!ORG_ID.matcher(value).matches()) {
            throw new CaException("field '" + field + "' must follow ETSI EN 319 412-1 §5.1.4: the type (VAT, NTR,"
                    + " PSD, LEI, or two characters and ':' for a national scheme), the two-letter country, '-' and"
                    + " the identifier, e.g. NTRFR-123456789; got '" + value + "'");
        }
    }

    /** An ISO 3166 alpha-2 country code: two upper-case letters. */
    static void requireCountry(String value, String field) {
        if (value == null || !COUNTRY.matcher(value).matches()) {
            throw new CaException("field '" + field + "' must be a two-letter ISO 3166 country code in capitals,"
                    + " e.g. FR");
        }
    }

    /** Plain text of 1 to 64 characters. */
    static void requireText(String value, String field) {
        requireText(value, field, MAX_LENGTH);
    }

    /**
     * Plain text of 1 to {@code max} characters (code points): no control, formatting (bidirectional overrides and
     * marks, zero-width characters), surrogate, private-use, unassigned or line-separator characters, and no space
     * at either end, so that what a relying party's software shows is what was checked.
     */
    static void requireText(String value, String field, int max) {
        if (value == null || value.isEmpty()) {
            throw new CaException("field '" + field + "' is empty");
        }
        int length = value.codePointCount(0, value.length());
        if (length > max) {
            throw new CaException("field '" + field + "' is " + length + " characters long: at most " + max
                    + " are allowed");
        }
        int[] codePoints = value.codePoints().toArray();
        for (int i = 0; i < codePoints.length; i++) {
            int c = codePoints[i];
            if (!plain(c)) {
                throw new CaException(String.format("field '%s' contains the control or formatting character U+%04X"
                        + " at position %d: names are plain text only", field, c, i + 1));
            }
        }
        if (Character.isWhitespace(codePoints[0]) || Character.isSpaceChar(codePoints[0])
                || Character.isWhitespace(codePoints[codePoints.length - 1])
                || Character.isSpaceChar(codePoints[codePoints.length - 1])) {
            throw new CaException("field '" + field + "' begins or ends with a space");
        }
    }

    private static boolean plain(int c) {
        return switch (Character.getType(c)) {
        case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
        default -> true;
        };
    }

    /**
     * C, O, organizationIdentifier, CN of validated values: UTF8String (PrintableString for C), one attribute per
     * RDN.
     */
    static X500Name organisation(String commonName, String organization, String organizationIdentifier,
            String country) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, new DERPrintableString(country, true))
                .addRDN(BCStyle.O, new DERUTF8String(organization))
                .addRDN(BCStyle.ORGANIZATION_IDENTIFIER, new DERUTF8String(organizationIdentifier))
                .addRDN(BCStyle.CN, new DERUTF8String(commonName)).build();
    }
}
