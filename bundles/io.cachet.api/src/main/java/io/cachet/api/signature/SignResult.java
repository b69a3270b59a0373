package io.cachet.api.signature;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * A signature made.
 *
 * @param output the file written
 * @param format the format
 * @param level the level
 * @param signingTime the claimed signing time put in the signature
 * @param signingCertificate the certificate of the key that signed
 */
public record SignResult(Path output, SignatureFormat format, Level level, Instant signingTime,
        X509Certificate signingCertificate) {
}
