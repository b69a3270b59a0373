package io.cachet.ca.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CRL's times are encoded as BouncyCastle's {@code new Time(Date)} encodes them, on both sides of 2050. */
class CrlTimeTest {

    @ParameterizedTest
    @ValueSource(strings = { "2026-12-04T17:45:13.987Z", "1950-01-01T00:00:00Z", "1949-12-31T23:59:59.999Z",
        "2049-12-31T23:59:59.500Z", "2050-01-01T00:00:00Z", "2000-02-29T12:00:01Z", "2105-06-30T08:09:10.001Z",
        "1970-01-01T00:00:00Z" })
    void sameBytesAsBouncyCastlesOwn(String text) throws Exception {
        Instant instant = Instant.parse(text);
        Time ours = CrlTime.of(instant);
        Time theirs = new Time(Date.from(instant));
        assertArrayEquals(theirs.getEncoded(ASN1Encoding.DER), ours.getEncoded(ASN1Encoding.DER), text);
        // whole seconds: the fraction is dropped, not rounded
        assertEquals(instant.getEpochSecond() * 1000, ours.getDate().getTime(), text);
    }
}
