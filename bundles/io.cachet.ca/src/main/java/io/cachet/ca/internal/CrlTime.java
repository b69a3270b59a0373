package io.cachet.ca.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.Time;

/**
 * An instant as the X.509 {@code Time} of RFC 5280 (section 4.1.2.5): UTCTime {@code YYMMDDHHMMSSZ} for the years
 * 1950 to 2049, GeneralizedTime {@code YYYYMMDDHHMMSSZ} otherwise, whole seconds (the fraction dropped), as
 * BouncyCastle's {@code new Time(Date)} makes it. Written here because that constructor makes two
 * {@code SimpleDateFormat}s per call (one to format, one inside {@code ASN1UTCTime(String)} to check the text), a
 * fifth of the build of a CRL with 100k entries; a {@code DateTimeFormatter} is thread-safe and made once. The bytes
 * are then BouncyCastle's to decode: the DER (tag, length, the text) is parsed by {@code getInstance}.
 */
final class CrlTime {

    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int UTC_TIME_TAG = 0x17;
    private static final int GENERALIZED_TIME_TAG = 0x18;

    private CrlTime() {
    }

    static Time of(Instant instant) {
        int year = instant.atOffset(ZoneOffset.UTC).getYear();
        boolean utc = year >= 1950 && year <= 2049;
        byte[] text = (utc ? UTC_TIME : GENERALIZED_TIME).format(instant).getBytes(StandardCharsets.US_ASCII);
        byte[] der = new byte[2 + text.length];
        der[0] = (byte) (utc ? UTC_TIME_TAG : GENERALIZED_TIME_TAG);
        der[1] = (byte) text.length;
        System.arraycopy(text, 0, der, 2, text.length);
        return new Time(utc ? ASN1UTCTime.getInstance(der) : ASN1GeneralizedTime.getInstance(der));
    }
}
